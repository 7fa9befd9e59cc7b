import type { BookingRules, CancellationPolicy } from '@commons/contracts'
import type { PaymentStatus, PriceSnapshot } from '../db/schema.ts'
import { refundAmount, refundShare } from '../payments/refund-policy.ts'
import type { Party } from './booking-machine.ts'

const HOUR = 3600_000

/** The policy a cancellation follows: the listing's current rules, flexible when the replica has none. */
export const cancellationPolicyOf = (rules: BookingRules | undefined): CancellationPolicy =>
  rules?.cancellationPolicy ?? 'flexible'

/**
 * Whether a cancellation counts as the provider's (full refund). A moderator overriding the usual
 * permissions counts as the provider; someone acting for both sides counts as the requester, so a provider
 * admin who is also in the requesting group cannot cancel their own booking at the provider's terms.
 */
export const cancelsAsProvider = (parties: readonly Party[], moderatorOverride: boolean): boolean =>
  moderatorOverride || (parties.includes('provider') && !parties.includes('requester'))

/**
 * What cancelling a booking at `now` gives back of the charge: the policy's share, and the amount, which is
 * only money when the charge was taken (otherwise the authorisation or the amount due is just dropped).
 * The cancel transition refunds by it and the refund preview shows it, so the two cannot disagree.
 */
export function cancellationRefund(
  booking: { startAt: Date; price: PriceSnapshot; paymentStatus: PaymentStatus },
  policy: CancellationPolicy,
  byProvider: boolean,
  now: Date,
): { share: number; amount: number } {
  const share = refundShare(policy, (booking.startAt.getTime() - now.getTime()) / HOUR, byProvider)
  const amount = booking.paymentStatus === 'paid' ? refundAmount(booking.price.amount, share) : 0
  return { share, amount }
}
