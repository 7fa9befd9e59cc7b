import {
  CreateEvaluationBody,
  Evaluation,
  EvaluationHideBody,
  EvaluationPage,
  EvaluationReplyBody,
  EvaluationReportBody,
  EvaluationReportDismissBody,
  IdParams,
  ListEvaluationsQuery,
  ReportedEvaluationList,
  Scorecard,
  Watchlist,
} from '@commons/contracts'
import { type App, requireActor, requireModerator } from '@commons/service-kit'
import { z } from 'zod'
import type { CommunityDeps } from '../deps.ts'
import { listEvaluations, replyToEvaluation, reportEvaluation } from './evaluations.service.ts'
import { hideEvaluation, watchlist } from './moderation.ts'
import { dismissEvaluationReport, listEvaluationReports } from './reports.ts'
import { scorecardOf } from './scorecards.service.ts'
import { submitEvaluation } from './submit-evaluation.ts'

const security = [{ bearerAuth: [] }]
const tags = ['evaluations']

/** Three-way evaluations, replies, reports, moderators' hide and watchlist, public scorecards. */
export function registerEvaluationRoutes(app: App, deps: CommunityDeps) {
  app.post(
    '/v1/evaluations',
    {
      schema: {
        operationId: 'submitEvaluation',
        tags,
        security,
        body: CreateEvaluationBody,
        response: { 201: Evaluation },
      },
    },
    async (request, reply) => reply.code(201).send(await submitEvaluation(deps, requireActor(request), request.body)),
  )
  app.get(
    '/v1/evaluations',
    {
      schema: {
        operationId: 'listEvaluations',
        tags,
        querystring: ListEvaluationsQuery,
        response: { 200: EvaluationPage },
      },
    },
    async (request) => listEvaluations(deps, request.query),
  )
  app.post(
    '/v1/evaluations/:id/reply',
    {
      schema: {
        operationId: 'replyToEvaluation',
        tags,
        security,
        params: IdParams,
        body: EvaluationReplyBody,
        response: { 200: Evaluation },
      },
    },
    async (request) => replyToEvaluation(deps, requireActor(request), request.params.id, request.body.reply),
  )
  app.post(
    '/v1/evaluations/:id/reports',
    {
      schema: {
        operationId: 'reportEvaluation',
        tags,
        security,
        params: IdParams,
        body: EvaluationReportBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await reportEvaluation(deps, requireActor(request), request.params.id, request.body.reason)
      return reply.code(204).send(null)
    },
  )
  app.post(
    '/v1/evaluations/:id/hide',
    {
      schema: {
        operationId: 'hideEvaluation',
        tags,
        security,
        params: IdParams,
        body: EvaluationHideBody,
        response: { 200: Evaluation },
      },
    },
    async (request) => hideEvaluation(deps, requireModerator(request), request.params.id, request.body.reason),
  )
  app.get(
    '/v1/evaluations/reports',
    {
      schema: {
        operationId: 'listEvaluationReports',
        tags,
        security,
        response: { 200: ReportedEvaluationList },
      },
    },
    async (request) => {
      requireModerator(request)
      return listEvaluationReports(deps)
    },
  )
  app.post(
    '/v1/evaluations/reports/:id/dismiss',
    {
      schema: {
        operationId: 'dismissEvaluationReport',
        tags,
        security,
        params: IdParams,
        body: EvaluationReportDismissBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await dismissEvaluationReport(deps, requireModerator(request), request.params.id, request.body.reason)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/v1/evaluations/watchlist',
    { schema: { operationId: 'getEvaluationWatchlist', tags, security, response: { 200: Watchlist } } },
    async (request) => {
      requireModerator(request)
      return watchlist(deps)
    },
  )
  app.get(
    '/v1/evaluations/scorecards/organizations/:id',
    { schema: { operationId: 'getOrganizationScorecard', tags, params: IdParams, response: { 200: Scorecard } } },
    async (request) => scorecardOf(deps.db, 'organization', request.params.id),
  )
  app.get(
    '/v1/evaluations/scorecards/members/:id',
    { schema: { operationId: 'getMemberScorecard', tags, params: IdParams, response: { 200: Scorecard } } },
    async (request) => scorecardOf(deps.db, 'member', request.params.id),
  )
}
