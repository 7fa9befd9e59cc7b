import {
  Conversation,
  ConversationPage,
  CreateConversationBody,
  CursorQuery,
  IdParams,
  Message,
  MessagePage,
  MessagesQuery,
  PostMessageBody,
  ReportConversationBody,
} from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import type { MessagingDeps } from '../deps.ts'
import {
  getConversation,
  listConversations,
  listReported,
  markConversationRead,
  openConversation,
  reportConversation,
} from './conversations.service.ts'
import { listMessages, postMessage } from './messages.service.ts'

const security = [{ bearerAuth: [] }]
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Same key and text answer the first message again; same key with another text is 422'),
})

/** Conversations between the parties of a booking or of a need, and moderators' reading of reported ones. */
export function registerConversationRoutes(app: App, deps: MessagingDeps) {
  const tags = ['conversations']
  app.post(
    '/v1/conversations',
    {
      schema: {
        operationId: 'openConversation',
        tags,
        security,
        body: CreateConversationBody,
        response: { 200: Conversation, 201: Conversation },
      },
    },
    async (request, reply) => {
      const outcome = await openConversation(deps, requireActor(request), request.body)
      return reply.code(outcome.created ? 201 : 200).send(outcome.conversation)
    },
  )
  app.get(
    '/v1/conversations',
    {
      schema: {
        operationId: 'listConversations',
        tags,
        security,
        querystring: CursorQuery,
        response: { 200: ConversationPage },
      },
    },
    async (request) => listConversations(deps, requireActor(request), request.query),
  )
  app.get(
    '/v1/conversations/reported',
    {
      schema: {
        operationId: 'listReportedConversations',
        tags,
        security,
        description: 'Moderators: conversations a party reported, newest report first.',
        response: { 200: ConversationPage },
      },
    },
    async (request) => listReported(deps, requireActor(request)),
  )
  app.get(
    '/v1/conversations/:id',
    { schema: { operationId: 'getConversation', tags, security, params: IdParams, response: { 200: Conversation } } },
    async (request) => getConversation(deps, requireActor(request), request.params.id),
  )
  app.get(
    '/v1/conversations/:id/messages',
    {
      schema: {
        operationId: 'listMessages',
        tags,
        security,
        params: IdParams,
        querystring: MessagesQuery,
        response: { 200: MessagePage },
      },
    },
    async (request) => listMessages(deps, requireActor(request), request.params.id, request.query),
  )
  app.post(
    '/v1/conversations/:id/messages',
    {
      schema: {
        operationId: 'postMessage',
        tags,
        security,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PostMessageBody,
        response: { 200: Message, 201: Message },
      },
    },
    async (request, reply) => {
      const outcome = await postMessage(
        deps,
        requireActor(request),
        request.params.id,
        request.body.text,
        request.headers['idempotency-key'],
      )
      return reply.code(outcome.created ? 201 : 200).send(outcome.message)
    },
  )
  app.post(
    '/v1/conversations/:id/read',
    {
      schema: {
        operationId: 'markConversationRead',
        tags,
        security,
        params: IdParams,
        response: { 200: Conversation },
      },
    },
    async (request) => markConversationRead(deps, requireActor(request), request.params.id),
  )
  app.post(
    '/v1/conversations/:id/report',
    {
      schema: {
        operationId: 'reportConversation',
        tags,
        security,
        params: IdParams,
        body: ReportConversationBody,
        response: { 200: Conversation },
      },
    },
    async (request) => reportConversation(deps, requireActor(request), request.params.id, request.body.reason),
  )
}
