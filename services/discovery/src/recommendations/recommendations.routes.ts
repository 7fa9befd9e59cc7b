import { HistorySettingsBody, InterestHistory, Recommendations, RecordViewBody } from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import type { SearchDeps } from '../search/search.service.ts'
import { clearHistory, isPersonalised, recordView, setPersonalised } from './recommendations.repository.ts'
import { profileOf, recommend } from './recommendations.service.ts'

const security = [{ bearerAuth: [] }]

/** Personalisation: views the web UI records, the member's history and settings, recommendations. */
export function registerRecommendationRoutes(app: App, deps: SearchDeps) {
  const { db } = deps
  const tags = ['recommendations']

  app.post(
    '/v1/views',
    {
      schema: {
        operationId: 'recordView',
        tags,
        security,
        description: 'Records that the signed-in member viewed a listing (ignored when they switched history off).',
        body: RecordViewBody,
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      if (await isPersonalised(db, actor.userId)) await recordView(db, actor.userId, request.body.listingId)
      return reply.code(204).send()
    },
  )
  app.get(
    '/v1/views',
    {
      schema: {
        operationId: 'getInterestHistory',
        tags,
        security,
        description: "The signed-in member's views, bookings and the interest profile built from them.",
        response: { 200: InterestHistory },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const { profile, views, bookings } = await profileOf(db, actor.userId)
      return {
        personalised: await isPersonalised(db, actor.userId),
        views: views.map((v) => ({ listingId: v.listingId, viewedAt: v.viewedAt.toISOString() })),
        bookings: bookings.map((b) => ({ listingId: b.listingId, bookedAt: b.createdAt.toISOString() })),
        profile,
      }
    },
  )
  app.delete(
    '/v1/views',
    {
      schema: {
        operationId: 'clearInterestHistory',
        tags,
        security,
        description: "Deletes the member's views and leaves their earlier bookings out of recommendations.",
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await clearHistory(db, requireActor(request).userId, deps.clock.now())
      return reply.code(204).send()
    },
  )
  app.put(
    '/v1/recommendations/settings',
    {
      schema: {
        operationId: 'updateRecommendationSettings',
        tags,
        security,
        description: 'Switch the recording of views and personalised recommendations on or off.',
        body: HistorySettingsBody,
        response: { 200: HistorySettingsBody },
      },
    },
    async (request) => {
      await setPersonalised(db, requireActor(request).userId, request.body.personalised)
      return { personalised: request.body.personalised }
    },
  )
  app.get(
    '/v1/recommendations',
    {
      schema: {
        operationId: 'getRecommendations',
        tags,
        security,
        description: "Published listings ranked by the member's interests, without their own organizations'.",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
        response: { 200: Recommendations },
      },
    },
    async (request) => recommend(deps, requireActor(request), request.query.limit),
  )
}
