import type { Actor, Booking, BookingAction, BookingHistory, BookingStatus, RefundPreview } from '@commons/contracts'
import { AppError, forbidden, pageOf, readCursor } from '@commons/service-kit'
import { z } from 'zod'
import type { BookingsDeps } from '../deps.ts'
import { assertOverrideNotOwn, lockVisibleBooking, partiesOf, visibleBooking } from './booking-access.ts'
import { toBookingDto } from './booking-dto.ts'
import { allows, completedNoShowProblem, mayAct, nextStatus, timingProblem } from './booking-machine.ts'
import { auditTrail, listBookings } from './bookings.repository.ts'
import { cancellationRefund, cancelsAsProvider } from './cancellation.ts'
import { applyTransition } from './transitions.ts'

/**
 * `POST /v1/bookings/:id/<action>`. Provider admins accept, decline, complete and report no-shows;
 * requesters and providers cancel; moderators may do anything, recorded as an override in the audit trail.
 * Others see 404 (a booking is private to its participants).
 */
export async function transitionBooking(
  deps: BookingsDeps,
  actor: Actor,
  id: string,
  action: BookingAction,
  reason: string | undefined,
): Promise<Booking> {
  return deps.db.transaction().execute(async (trx) => {
    const { row, parties } = await lockVisibleBooking(trx, actor, id)
    const permitted = mayAct(parties, action)
    if (!permitted && !actor.moderator) throw forbidden(`You may not ${action} this booking.`)
    if (!permitted) assertOverrideNotOwn(actor, row)
    nextStatus(row.status, action)
    const untimely =
      completedNoShowProblem(row.status, action, !permitted) ??
      timingProblem(action, { start: row.startAt, end: row.endAt }, deps.clock.now(), !permitted)
    if (untimely) throw new AppError('invalid_transition', 409, untimely, { body: { from: row.status, action } })
    const saved = await applyTransition(trx, deps, row, action, {
      actorUserId: actor.userId,
      parties,
      moderatorOverride: !permitted,
      reason: reason ?? null,
    })
    return toBookingDto(saved)
  })
}

/** `GET /v1/bookings/:id`: participants and moderators only; others get 404. */
export async function getBooking(deps: BookingsDeps, actor: Actor, id: string): Promise<Booking> {
  return toBookingDto(await visibleBooking(deps.db, actor, id))
}

/**
 * `GET /v1/bookings/:id/history`: the audit trail, oldest first, for those who may see the booking. Actors
 * appear by the role they acted in, never by user id: the requester side need not learn who at the
 * provider declined, nor the provider which moderator stepped in.
 */
export async function getBookingHistory(deps: BookingsDeps, actor: Actor, id: string): Promise<BookingHistory> {
  await visibleBooking(deps.db, actor, id)
  const rows = await auditTrail(deps.db, id)
  return {
    items: rows.map((r) => ({
      action: r.action,
      fromStatus: r.fromStatus,
      toStatus: r.toStatus,
      at: r.at.toISOString(),
      reason: r.reason,
      by: r.actorRole,
    })),
  }
}

/**
 * `GET /v1/bookings/:id/refund-preview`: what a cancellation by this actor would refund now, computed as the
 * cancel transition computes it. Permissions are the cancel's (404 unseen, 403 for those who may not
 * cancel); a booking past cancelling is an answer (`cancellable: false`), not an error, so a UI can ask
 * for any booking it shows.
 */
export async function previewRefund(deps: BookingsDeps, actor: Actor, id: string): Promise<RefundPreview> {
  const row = await visibleBooking(deps.db, actor, id)
  const parties = partiesOf(actor, row)
  const permitted = mayAct(parties, 'cancel')
  if (!permitted && !actor.moderator) throw forbidden('You may not cancel this booking.')
  if (!permitted) assertOverrideNotOwn(actor, row)
  const policy = row.cancellation.policy
  const now = deps.clock.now()
  const base = { policy, currency: row.price.currency }
  if (
    !allows(row.status, 'cancel') ||
    (permitted && timingProblem('cancel', { start: row.startAt, end: row.endAt }, now))
  )
    return { ...base, share: 0, amount: 0, depositReleased: 0, cancellable: false }
  const { share, amount } = cancellationRefund(row, cancelsAsProvider(parties, !permitted), now)
  return { ...base, share, amount, depositReleased: row.price.deposit - row.depositRetained, cancellable: true }
}

const ListCursor = z.object({ id: z.uuid() })

/** `GET /v1/bookings`: an organization's bookings as requester or provider, newest first. */
export async function listBookingsOf(
  deps: BookingsDeps,
  actor: Actor,
  q: {
    as: 'requester' | 'provider'
    organizationId: string
    status?: BookingStatus | undefined
    cursor?: string | undefined
    limit: number
  },
) {
  if (!actor.roles[q.organizationId] && !actor.moderator)
    throw forbidden('Only members of the organization see its bookings.')
  const afterId = readCursor(ListCursor, q.cursor)?.id
  const rows = await listBookings(deps.db, { ...q, afterId })
  return pageOf(rows, q.limit, toBookingDto, (last) => ({ id: last.id }))
}
