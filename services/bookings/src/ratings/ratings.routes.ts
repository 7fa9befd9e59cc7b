import {
  BookingRatings,
  CreateRatingBody,
  CursorQuery,
  HiddenRatingPage,
  IdParams,
  ListRatingsQuery,
  Rating,
  RatingAuditPage,
  RatingPage,
  RatingReasonBody,
  RatingReplyBody,
  RatingReport,
  ReportedRating,
  UpdateRatingBody,
} from '@commons/contracts'
import { type App, requireActor, requireModerator } from '@commons/service-kit'
import { z } from 'zod'
import type { BookingsDeps } from '../deps.ts'
import {
  dismissReports,
  hideRating,
  listHiddenRatings,
  listRatingAudit,
  listReports,
  unhideRating,
} from './rating-moderation.ts'
import { getBookingRatings, listRatings } from './rating-queries.ts'
import { rateBooking, replyToRating, reportRating, updateRating } from './ratings.service.ts'

const security = [{ bearerAuth: [] }]
const ReportPage = z
  .object({ items: z.array(ReportedRating), nextCursor: z.string().nullable() })
  .meta({ id: 'RatingReportPage' })
const DismissedReports = z
  .object({ ratingId: z.uuid(), dismissed: z.number().int().describe('How many reports were dismissed') })
  .meta({ id: 'DismissedReports' })

/** Two-way, double-blind ratings of bookings; replies, reports and moderation. */
export function registerRatingRoutes(app: App, deps: BookingsDeps) {
  const tags = ['ratings']
  app.post(
    '/v1/bookings/:id/ratings',
    {
      schema: {
        operationId: 'rateBooking',
        tags,
        security,
        params: IdParams,
        body: CreateRatingBody,
        description:
          'Once per side of a completed booking, within 14 days of completion. Hidden until the other side has rated or the window closes.',
        response: { 201: Rating },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await rateBooking(deps, requireActor(request), request.params.id, request.body)),
  )
  app.get(
    '/v1/bookings/:id/ratings',
    {
      schema: {
        operationId: 'getBookingRatings',
        tags,
        security,
        params: IdParams,
        response: { 200: BookingRatings },
      },
    },
    async (request) => getBookingRatings(deps, requireActor(request), request.params.id),
  )
  app.get(
    '/v1/ratings',
    {
      schema: {
        operationId: 'listRatings',
        tags,
        querystring: ListRatingsQuery,
        description: 'Published ratings that no moderator hid, newest first.',
        response: { 200: RatingPage },
      },
    },
    async (request) => listRatings(deps, request.actor ?? undefined, request.query),
  )
  app.get(
    '/v1/ratings/reports',
    {
      schema: {
        operationId: 'listRatingReports',
        tags,
        security,
        querystring: CursorQuery,
        description: 'Moderators: reports against ratings, newest first.',
        response: { 200: ReportPage },
      },
    },
    async (request) => {
      requireModerator(request)
      return listReports(deps, request.query)
    },
  )
  // Static, so find-my-way prefers it to any parametric `/v1/ratings/:id` route whatever the registration order.
  app.get(
    '/v1/ratings/hidden',
    {
      schema: {
        operationId: 'listHiddenRatings',
        tags,
        security,
        querystring: CursorQuery,
        description: 'Moderators: hidden ratings with the reason, the moderator and the time, newest hide first.',
        response: { 200: HiddenRatingPage },
      },
    },
    async (request) => {
      requireModerator(request)
      return listHiddenRatings(deps, request.query)
    },
  )
  // Static like `/v1/ratings/hidden`, so no `/v1/ratings/:id` route can take `audit` for an id.
  app.get(
    '/v1/ratings/audit',
    {
      schema: {
        operationId: 'listRatingAudit',
        tags,
        security,
        querystring: CursorQuery,
        description: 'Moderators: the audit trail of rating moderation (hides and unhides), newest first.',
        response: { 200: RatingAuditPage },
      },
    },
    async (request) => {
      requireModerator(request)
      return listRatingAudit(deps, request.query)
    },
  )
  app.patch(
    '/v1/ratings/:id',
    {
      schema: {
        operationId: 'updateRating',
        tags,
        security,
        params: IdParams,
        body: UpdateRatingBody,
        description: 'The rater changes a rating while it is hidden; published ratings are final (409).',
        response: { 200: Rating },
      },
    },
    async (request) => updateRating(deps, requireActor(request), request.params.id, request.body),
  )
  app.post(
    '/v1/ratings/:id/reply',
    {
      schema: {
        operationId: 'replyToRating',
        tags,
        security,
        params: IdParams,
        body: RatingReplyBody,
        response: { 201: Rating },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await replyToRating(deps, requireActor(request), request.params.id, request.body.body)),
  )
  app.post(
    '/v1/ratings/:id/reports',
    {
      schema: {
        operationId: 'reportRating',
        tags,
        security,
        params: IdParams,
        body: RatingReasonBody,
        response: { 201: RatingReport },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await reportRating(deps, requireActor(request), request.params.id, request.body.reason)),
  )
  app.post(
    '/v1/ratings/:id/reports/dismiss',
    {
      schema: {
        operationId: 'dismissRatingReports',
        tags,
        security,
        params: IdParams,
        body: RatingReasonBody,
        description:
          'Moderators: dismisses the reports against a rating (kept visible), with a recorded reason; 409 `no_open_reports` without any.',
        response: { 200: DismissedReports },
      },
    },
    async (request) => dismissReports(deps, requireModerator(request), request.params.id, request.body.reason),
  )
  app.post(
    '/v1/ratings/:id/hide',
    {
      schema: {
        operationId: 'hideRating',
        tags,
        security,
        params: IdParams,
        body: RatingReasonBody,
        description: 'Moderators: hides a rating with a recorded reason; it leaves lists and reputation.',
        response: { 200: Rating },
      },
    },
    async (request) => hideRating(deps, requireModerator(request), request.params.id, request.body.reason),
  )
  app.post(
    '/v1/ratings/:id/unhide',
    {
      schema: {
        operationId: 'unhideRating',
        tags,
        security,
        params: IdParams,
        body: RatingReasonBody,
        description:
          'Moderators: restores a hidden rating with a recorded reason; 409 `not_hidden` if it is not hidden.',
        response: { 200: Rating },
      },
    },
    async (request) => unhideRating(deps, requireModerator(request), request.params.id, request.body.reason),
  )
}
