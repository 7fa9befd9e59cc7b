import {
  type Actor,
  Booking,
  BookingAction,
  BookingHistory,
  BookingPage,
  CreateBookingBody,
  IdParams,
  ListBookingsQuery,
  RefundPreview,
  TransitionBody,
} from '@commons/contracts'
import { resolveActor } from '@commons/db'
import {
  type App,
  bearerToken,
  type KeySource,
  requireActor,
  unauthorized,
  verifyAccessToken,
} from '@commons/service-kit'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { BookingsDeps } from '../deps.ts'
import { attachParties, withParties, withPartiesOne } from './booking-parties.ts'
import { getBooking, getBookingHistory, listBookingsOf, previewRefund, transitionBooking } from './bookings.service.ts'
import { createBooking } from './create-booking.ts'

const security = [{ bearerAuth: [] }]
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Same key and body answer the first response again; same key with another body is 422'),
})

const OPERATION: Record<BookingAction, string> = {
  accept: 'acceptBooking',
  decline: 'declineBooking',
  cancel: 'cancelBooking',
  complete: 'completeBooking',
  'no-show': 'reportNoShow',
}

/** Bookings: create, read, list, and the participants' transitions. */
export function registerBookingRoutes(app: App, deps: BookingsDeps, auth: { keys: KeySource }) {
  const claimedActors = new WeakMap<FastifyRequest, Actor>()
  const tags = ['bookings']
  app.post(
    '/v1/bookings',
    {
      schema: {
        operationId: 'createBooking',
        tags,
        security,
        headers: IdempotencyHeaders,
        body: CreateBookingBody,
        response: { 201: Booking },
      },
      // The caller's roles come from the access replica, which the kit reads before the handler runs. A
      // creation reads them in parallel with the listing instead (issue 17), so the token is verified here,
      // before the body is parsed, as the kit does, and the replica is read by the handler.
      config: { auth: 'none' },
      onRequest: async (request) => {
        const token = bearerToken(request)
        if (token) claimedActors.set(request, await verifyAccessToken(auth.keys, token))
      },
    },
    async (request, reply) => {
      const claimed = claimedActors.get(request)
      if (!claimed) throw unauthorized()
      const resolving = resolveActor(deps.db, claimed)
      const outcome = await createBooking(
        deps,
        { userId: claimed.userId, actor: resolving },
        request.body,
        request.headers['idempotency-key'],
      )
      // Resolved: createBooking answers only once the roles were read.
      const actor = await resolving
      const booking = outcome.parties
        ? attachParties(actor, [outcome.booking], outcome.parties)[0]!
        : await withPartiesOne(deps.db, actor, outcome.booking)
      return reply.code(201).send(booking)
    },
  )
  app.get(
    '/v1/bookings',
    {
      schema: {
        operationId: 'listBookings',
        tags,
        security,
        querystring: ListBookingsQuery,
        response: { 200: BookingPage },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const page = await listBookingsOf(deps, actor, request.query)
      return { ...page, items: await withParties(deps.db, actor, page.items) }
    },
  )
  app.get(
    '/v1/bookings/:id',
    { schema: { operationId: 'getBooking', tags, security, params: IdParams, response: { 200: Booking } } },
    async (request) => {
      const actor = requireActor(request)
      return withPartiesOne(deps.db, actor, await getBooking(deps, actor, request.params.id))
    },
  )
  app.get(
    '/v1/bookings/:id/history',
    {
      schema: {
        operationId: 'getBookingHistory',
        tags,
        security,
        params: IdParams,
        description: 'Every step of the booking, oldest first; actors appear by role, not by user id.',
        response: { 200: BookingHistory },
      },
    },
    async (request) => getBookingHistory(deps, requireActor(request), request.params.id),
  )
  app.get(
    '/v1/bookings/:id/refund-preview',
    {
      schema: {
        operationId: 'previewBookingRefund',
        tags,
        security,
        params: IdParams,
        description:
          'What cancelling now would refund the caller, by the rule the cancellation applies; for those who may cancel.',
        response: { 200: RefundPreview },
      },
    },
    async (request) => previewRefund(deps, requireActor(request), request.params.id),
  )
  for (const action of BookingAction.options) {
    app.post(
      `/v1/bookings/:id/${action}`,
      {
        schema: {
          operationId: OPERATION[action],
          tags,
          security,
          params: IdParams,
          body: TransitionBody.optional(),
          response: { 200: Booking },
        },
      },
      async (request) => {
        const actor = requireActor(request)
        const booking = await transitionBooking(deps, actor, request.params.id, action, request.body?.reason)
        return withPartiesOne(deps.db, actor, booking)
      },
    )
  }
}
