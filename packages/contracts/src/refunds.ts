import type { CancellationPolicy } from './listings.ts'

/**
 * Share of the price refunded when the requester cancels, by the listing's policy and the hours left
 * before the start (README "Cancellation policies"). Steps are [at least this many hours before, share].
 * Shared by the bookings service, which refunds by it, and the web UI, which previews it.
 */
export const REFUND_STEPS: Readonly<Record<CancellationPolicy, ReadonlyArray<readonly [number, number]>>> = {
  flexible: [
    [24, 1],
    [0, 0.5],
  ],
  moderate: [
    [72, 1],
    [24, 0.5],
  ],
  strict: [[168, 0.5]],
}

/**
 * The refund share (0..1) of a cancellation. Cancellations by the provider (and declines, expiries) always
 * refund everything; so does a cancellation before any money was taken.
 */
export function refundShare(policy: CancellationPolicy, hoursBeforeStart: number, byProvider: boolean): number {
  if (byProvider) return 1
  for (const [hours, share] of REFUND_STEPS[policy]) if (hoursBeforeStart >= hours) return share
  return 0
}

/** The refund in minor units: rounded down to whole fen, never more than was paid. */
export function refundAmount(paid: number, share: number): number {
  return Math.min(paid, Math.floor(paid * share))
}
