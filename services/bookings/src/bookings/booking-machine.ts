import type { BookingAction, BookingActorRole, BookingStatus } from '@commons/contracts'
import { SLOT_HOLDING_STATUSES } from '@commons/contracts'
import { invalidTransition } from '@commons/service-kit'

/** What may move a booking: a participant's action or a timer / payment event of the system. */
export type BookingEvent = BookingAction | 'paid' | 'payment_expire' | 'request_expire' | 'auto_complete'

/** Who asks: the provider's admins, the requesting organization's members, or the system (timers, payments). */
export type Party = 'provider' | 'requester' | 'system'

interface Rule {
  from: readonly BookingStatus[]
  to: BookingStatus
  parties: readonly Party[]
}

/** DESIGN.md §3. `paid` leads to `requested`; instant-book listings go on to `confirmed` at once. */
const RULES: Record<BookingEvent, Rule> = {
  accept: { from: ['requested'], to: 'confirmed', parties: ['provider'] },
  decline: { from: ['requested'], to: 'declined', parties: ['provider'] },
  cancel: { from: ['pending_payment', 'requested', 'confirmed'], to: 'cancelled', parties: ['provider', 'requester'] },
  complete: { from: ['confirmed'], to: 'completed', parties: ['provider'] },
  // From `completed` only as a moderator's ruling on a dispute (see `completedNoShowProblem`).
  'no-show': { from: ['confirmed', 'completed'], to: 'no_show', parties: ['provider'] },
  paid: { from: ['pending_payment'], to: 'requested', parties: ['system', 'provider'] },
  payment_expire: { from: ['pending_payment'], to: 'payment_expired', parties: ['system'] },
  request_expire: { from: ['requested'], to: 'expired', parties: ['system'] },
  auto_complete: { from: ['confirmed'], to: 'completed', parties: ['system'] },
}

/** How long after the end a provider may still report a no-show (DESIGN.md: within 48 h). */
export const NO_SHOW_WINDOW_MS = 48 * 3600_000

/** Whether `event` can move a booking that is in `status`. */
export const allows = (status: BookingStatus, event: BookingEvent): boolean => RULES[event].from.includes(status)

/** The state `event` leads to from `status`, or a 409 `invalid_transition` problem. */
export function nextStatus(status: BookingStatus, event: BookingEvent): BookingStatus {
  if (!allows(status, event)) throw invalidTransition(status, event)
  return RULES[event].to
}

/** Whether `party` may ask for `event` (moderators may ask for any; the service audits that). */
export function mayAct(parties: readonly Party[], event: BookingEvent): boolean {
  return RULES[event].parties.some((p) => parties.includes(p))
}

/**
 * The role a step was taken in, for the audit trail: a moderator overriding the rules, the system when no
 * one acted (timers, payment webhooks), otherwise the side the rules let the actor act for. Someone in both
 * organizations counts as the requester where the requester may act, as the refund of a cancellation does.
 */
export function actingRole(
  event: BookingEvent,
  by: { actorUserId: string | null; parties: readonly Party[]; moderatorOverride: boolean },
): BookingActorRole {
  if (by.moderatorOverride) return 'moderator'
  if (by.actorUserId === null) return 'system'
  return by.parties.includes('requester') && mayAct(['requester'], event) ? 'requester' : 'provider'
}

/** Whether a booking in `status` keeps its slot (no other booking may overlap it). */
export const holdsSlot = (status: BookingStatus) => SLOT_HOLDING_STATUSES.includes(status)

/**
 * Timing rules of actions: a booking is completed or reported as a no-show only once it has started, by
 * anyone, moderators included (a completion is a public use in the ledger and opens the rating window); a
 * no-show is reported within 48 h of the end, which a moderator's override may pass. Returns the problem
 * detail, or null when in time.
 */
export function timingProblem(
  event: BookingEvent,
  window: { start: Date; end: Date },
  now: Date,
  moderatorOverride = false,
): string | null {
  if ((event === 'complete' || event === 'no-show') && now < window.start) return 'The booking has not started yet.'
  if (moderatorOverride) return null
  if (event === 'no-show' && now.getTime() > window.end.getTime() + NO_SHOW_WINDOW_MS)
    return 'A no-show is reported within 48 hours of the end.'
  return null
}

/**
 * A provider reports a no-show before the booking completes, never after: once completed, the requester may
 * have rated it, and a no-show would void that rating and strike the group (issue 13, rating suppression).
 * A completed booking that did not happen is a dispute, which a moderator settles by the same action.
 */
export function completedNoShowProblem(status: BookingStatus, event: BookingEvent, moderatorOverride: boolean) {
  return event === 'no-show' && status === 'completed' && !moderatorOverride
    ? 'The booking is completed; a no-show after completion is a dispute for the moderators.'
    : null
}
