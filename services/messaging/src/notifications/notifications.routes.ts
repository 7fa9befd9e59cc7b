import {
  MarkNotificationsReadBody,
  NotificationPage,
  NotificationPreferences,
  NotificationsQuery,
  StreamQuery,
  StreamTicket,
  UnreadCount,
  UnsubscribeQuery,
  UpdatePreferencesBody,
} from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import type { MessagingDeps } from '../deps.ts'
import { getPreferences, listNotifications, markRead, unreadCount, updatePreferences } from './notifications.service.ts'
import { issueStreamTicket, type NotificationStreams } from './stream.ts'
import { unsubscribe } from './unsubscribe.ts'

const security = [{ bearerAuth: [] }]

/** The notification center, its live stream, preferences and the email opt-out link. */
export function registerNotificationRoutes(app: App, deps: MessagingDeps, streams: NotificationStreams) {
  const tags = ['notifications']
  app.get(
    '/v1/notifications',
    {
      schema: {
        operationId: 'listNotifications',
        tags,
        security,
        querystring: NotificationsQuery,
        response: { 200: NotificationPage },
      },
    },
    async (request) => listNotifications(deps, requireActor(request), request.query),
  )
  app.get(
    '/v1/notifications/unread',
    { schema: { operationId: 'countUnreadNotifications', tags, security, response: { 200: UnreadCount } } },
    async (request) => ({ unread: await unreadCount(deps.db, requireActor(request).userId) }),
  )
  app.post(
    '/v1/notifications/read',
    {
      schema: {
        operationId: 'markNotificationsRead',
        tags,
        security,
        body: MarkNotificationsReadBody,
        response: { 200: UnreadCount },
      },
    },
    async (request) => markRead(deps, requireActor(request), request.body),
  )
  app.post(
    '/v1/notifications/stream-ticket',
    { schema: { operationId: 'createStreamTicket', tags, security, response: { 201: StreamTicket } } },
    async (request, reply) => reply.code(201).send(issueStreamTicket(deps, requireActor(request))),
  )
  app.get(
    '/v1/notifications/stream',
    {
      schema: {
        operationId: 'streamNotifications',
        tags,
        description:
          'Server-Sent Events: `notification` (a Notification) when one arrives and `unread` ({unread}) after ' +
          'each change. Authenticate with `?ticket=` from createStreamTicket (EventSource cannot send ' +
          'headers) or a bearer token.',
        querystring: StreamQuery,
        response: { 200: z.string().describe('text/event-stream') },
      },
      // Long-lived: not counted against the per-minute request limit more than once per connection.
      config: { rateLimit: false } as never,
    },
    async (request, reply) => streams.serve(request, reply, request.query.ticket),
  )
  app.get(
    '/v1/notifications/preferences',
    {
      schema: { operationId: 'getNotificationPreferences', tags, security, response: { 200: NotificationPreferences } },
    },
    async (request) => getPreferences(deps, requireActor(request)),
  )
  app.put(
    '/v1/notifications/preferences',
    {
      schema: {
        operationId: 'updateNotificationPreferences',
        tags,
        security,
        body: UpdatePreferencesBody,
        response: { 200: NotificationPreferences },
      },
    },
    async (request) => updatePreferences(deps, requireActor(request), request.body),
  )
  app.get(
    '/v1/notifications/unsubscribe',
    {
      schema: {
        operationId: 'unsubscribeEmail',
        tags,
        description: 'The link in every email: turns email off for its recipient, no sign-in needed.',
        querystring: UnsubscribeQuery,
        response: { 200: z.string() },
      },
    },
    async (request, reply) => {
      await unsubscribe(deps, request.query.token)
      return reply.type('text/html; charset=utf-8').send(UNSUBSCRIBED_PAGE)
    },
  )
}

const UNSUBSCRIBED_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>已退订</title><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">
<h1>已退订邮件通知</h1><p>你将不再收到邮件通知；站内通知不受影响。可在“通知设置”中重新开启。</p>
<p lang="en">You will no longer receive notification emails. Turn them on again in notification settings.</p></body></html>`
