import { type Action, type Booking, OPEN, type Role } from './types.ts'

/**
 * The actions the viewer's roles allow on the booking now. Pure, so the rule is tested without a browser;
 * `started` comes from the browser's clock (useReached).
 */
export function allowedActions(booking: Booking, role: Role[], started: boolean): Action[] {
  const provides = role.includes('provider') || role.includes('moderator')
  const actions: Action[] = []
  if (provides && booking.status === 'requested') actions.push('accept', 'decline')
  // Whether it took place is known only once it has begun; the bookings service refuses both before that.
  if (provides && booking.status === 'confirmed' && started) actions.push('complete', 'no-show')
  if (role.length > 0 && OPEN.includes(booking.status)) actions.push('cancel')
  return actions
}
