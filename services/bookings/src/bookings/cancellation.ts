import type { BookingRules, CancellationPolicy } from '@commons/contracts'
import type { CancellationTerms, PaymentStatus, PriceSnapshot } from '../db/schema.ts'
import { REFUND_STEPS, refundAmount } from '../payments/refund-policy.ts'
import type { Party } from './booking-machine.ts'

const HOUR = 3600_000

/** The terms a new booking is made under: the listing's current policy and its steps, flexible when unset. */
export function cancellationTermsOf(rules: BookingRules | undefined): CancellationTerms {
  const policy: CancellationPolicy = rules?.cancellationPolicy ?? 'flexible'
  return { policy, steps: REFUND_STEPS[policy].map(([hours, share]) => [hours, share]) }
}

/**
 * Whether a cancellation counts as the provider's (full refund). A moderator overriding the usual
 * permissions counts as the provider; someone acting for both sides counts as the requester, so a provider
 * admin who is also in the requesting group cannot cancel their own booking at the provider's terms.
 */
export const cancelsAsProvider = (parties: readonly Party[], moderatorOverride: boolean): boolean =>
  moderatorOverride || (parties.includes('provider') && !parties.includes('requester'))

/**
 * The share of the terms' steps at `hoursBeforeStart`. Bookings older than the snapshot hold only the policy
 * and follow its current steps.
 */
function shareOf(terms: CancellationTerms, hoursBeforeStart: number, byProvider: boolean): number {
  if (byProvider) return 1
  for (const [hours, share] of terms.steps ?? REFUND_STEPS[terms.policy]) if (hoursBeforeStart >= hours) return share
  return 0
}

/**
 * What cancelling a booking at `now` gives back of the charge: the share of the terms the booking was made
 * under (never the listing's current policy, which its provider may have changed since), and the amount,
 * which is only money when the charge was taken (otherwise the authorisation or the amount due is just
 * dropped). The cancel transition refunds by it and the refund preview shows it, so the two cannot disagree.
 */
export function cancellationRefund(
  booking: { startAt: Date; price: PriceSnapshot; paymentStatus: PaymentStatus; cancellation: CancellationTerms },
  byProvider: boolean,
  now: Date,
): { share: number; amount: number } {
  const share = shareOf(booking.cancellation, (booking.startAt.getTime() - now.getTime()) / HOUR, byProvider)
  const amount = booking.paymentStatus === 'paid' ? refundAmount(booking.price.amount, share) : 0
  return { share, amount }
}
