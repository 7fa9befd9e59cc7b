import {
  CreateSurveyBody,
  IdParams,
  ModerateTextBody,
  PublishSurveyBody,
  ResponseReceipt,
  SubmitResponseBody,
  Survey,
  SurveyActivity,
  SurveyActivityBody,
  SurveyNeed,
  SurveyNeedBody,
  SurveyResults,
  TextAnswer,
} from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import type { CommunityDeps } from '../deps.ts'
import { draftActivity } from './survey-activities.ts'
import { raiseNeed, surveyNeeds } from './survey-needs.ts'
import {
  createSurvey,
  getSurvey,
  listSurveys,
  moderateText,
  publishSurvey,
  type SurveyDeps,
  submitResponse,
  surveyResults,
} from './surveys.service.ts'

const security = [{ bearerAuth: [] }]
const TextParams = z.object({ id: z.uuid(), textId: z.uuid() })
const ResultsCsv = z.string().describe('The results as CSV: UTF-8 with a byte order mark, CRLF line ends')

/** Needs surveys: building, publishing, answering, results. */
export function registerSurveyRoutes(app: App, deps: SurveyDeps & CommunityDeps) {
  const tags = ['surveys']

  app.post(
    '/v1/surveys',
    {
      schema: { operationId: 'createSurvey', tags, security, body: CreateSurveyBody, response: { 201: Survey } },
    },
    async (request, reply) => reply.code(201).send(await createSurvey(deps, requireActor(request), request.body)),
  )
  app.get(
    '/v1/surveys',
    {
      schema: {
        operationId: 'listSurveys',
        tags,
        security,
        querystring: z.object({ organizationId: z.uuid() }),
        response: { 200: z.object({ items: z.array(Survey) }) },
      },
    },
    async (request) => ({ items: await listSurveys(deps, requireActor(request), request.query.organizationId) }),
  )
  app.get(
    '/v1/surveys/:id',
    { schema: { operationId: 'getSurvey', tags, params: IdParams, response: { 200: Survey } } },
    async (request) => getSurvey(deps, request.actor, request.params.id),
  )
  app.post(
    '/v1/surveys/:id/publish',
    {
      schema: {
        operationId: 'publishSurvey',
        tags,
        security,
        params: IdParams,
        body: PublishSurveyBody,
        response: { 200: Survey },
      },
    },
    async (request) => publishSurvey(deps, requireActor(request), request.params.id, request.body),
  )
  app.post(
    '/v1/surveys/:id/responses',
    {
      schema: {
        operationId: 'submitSurveyResponse',
        tags,
        params: IdParams,
        body: SubmitResponseBody,
        response: { 201: ResponseReceipt },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await submitResponse(deps, request.actor, request.params.id, request.body, request.ip)),
  )
  app.get(
    '/v1/surveys/:id/results',
    {
      schema: {
        operationId: 'getSurveyResults',
        tags,
        params: IdParams,
        querystring: z.object({ format: z.enum(['json', 'csv']).optional() }),
        response: {
          200: {
            content: { 'application/json': { schema: SurveyResults }, 'text/csv': { schema: ResultsCsv } },
          },
        },
      },
    },
    async (request, reply) => {
      const { results, csv } = await surveyResults(deps, request.actor, request.params.id)
      if (request.query.format !== 'csv') return reply.type('application/json; charset=utf-8').send(results)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="survey-${request.params.id}.csv"`)
        .send(csv())
    },
  )
  app.post(
    '/v1/surveys/:id/needs',
    {
      schema: {
        operationId: 'raiseSurveyNeed',
        tags,
        security,
        params: IdParams,
        body: SurveyNeedBody,
        response: { 201: SurveyNeed },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await raiseNeed(deps, requireActor(request), request.params.id, request.body)),
  )
  app.post(
    '/v1/surveys/:id/activities',
    {
      schema: {
        operationId: 'draftSurveyActivity',
        tags,
        security,
        params: IdParams,
        body: SurveyActivityBody,
        response: { 201: SurveyActivity },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await draftActivity(deps, requireActor(request), request.params.id, request.body)),
  )
  app.get(
    '/v1/surveys/:id/needs',
    {
      schema: {
        operationId: 'listSurveyNeeds',
        tags,
        params: IdParams,
        response: { 200: z.object({ items: z.array(SurveyNeed) }) },
      },
    },
    async (request) => ({ items: await surveyNeeds(deps, request.actor, request.params.id) }),
  )
  app.patch(
    '/v1/surveys/:id/texts/:textId',
    {
      schema: {
        operationId: 'moderateSurveyText',
        tags,
        security,
        params: TextParams,
        body: ModerateTextBody,
        response: { 200: TextAnswer },
      },
    },
    async (request) =>
      moderateText(deps, requireActor(request), request.params.id, request.params.textId, request.body.status),
  )
}
