import type { PaymentStatus, PriceSnapshot } from '../db/schema.ts'

/** One payment of a booking: the charge (the price) or the deposit, each authorised on its own. */
export interface PaymentPart {
  purpose: 'charge' | 'deposit'
  amount: number
  /** The provider's id (a Stripe PaymentIntent), if it has one. */
  externalId: string | null
}

/** What a provider needs to know of a booking to take or return its money. */
export interface PaymentSubject {
  bookingId: string
  price: PriceSnapshot
  parts: PaymentPart[]
}

/**
 * A move of a booking's money after it was opened: taking the authorised charge on confirm, letting the
 * authorisations go (declined, expired, cancelled unpaid), refunding part of a taken charge, and letting go
 * of the deposit or keeping part of it.
 */
export type PaymentStep =
  | { step: 'capture' }
  | { step: 'release' }
  | { step: 'refund'; amount: number }
  | { step: 'release_deposit' }
  | { step: 'retain_deposit'; amount: number }

/**
 * How money moves. `offline` (default): the provider collects on site or by transfer and records it;
 * nothing is taken at booking time. `stripe` (STRIPE_SECRET_KEY set): manual-capture PaymentIntents.
 * A step is two halves: `statusAfter`, pure, which the booking's transaction records, and `perform`, the
 * call to the provider, which for a `remote` provider runs as a job after that transaction commits, so no
 * booking lock waits on the provider's network (issue 12).
 */
export interface PaymentProvider {
  readonly name: 'offline' | 'stripe'
  /** Whether `perform` calls another system; then steps are jobs after the commit (payment-steps.ts). */
  readonly remote: boolean
  /**
   * A booking was created. `holdsForPayment`: it waits in pending_payment until the money is authorised.
   * `externalIds`: the provider's id of each part it opened.
   */
  open(subject: PaymentSubject): Promise<{
    status: PaymentStatus
    holdsForPayment: boolean
    externalIds: Partial<Record<PaymentPart['purpose'], string>>
  }>
  /** The booking's payment status once `step` is done, from `current` (the status before it). */
  statusAfter(subject: PaymentSubject, current: PaymentStatus, step: PaymentStep): PaymentStatus
  /** Carries out `step` with the provider. Idempotent per booking and step: a retry moves no money twice. */
  perform(subject: PaymentSubject, current: PaymentStatus, step: PaymentStep): Promise<void>
}

/** Nothing is charged online: the amount is due until the provider records it (POST /v1/bookings/:id/payment). */
export function offlinePayments(): PaymentProvider {
  return {
    name: 'offline',
    remote: false,
    async open(subject) {
      const owed = subject.price.amount + subject.price.deposit
      return { status: owed > 0 ? 'due' : 'none', holdsForPayment: false, externalIds: {} }
    },
    statusAfter(_subject, current, step) {
      switch (step.step) {
        case 'release':
          return current === 'due' ? 'none' : current
        case 'refund':
          if (current === 'paid') return step.amount > 0 ? 'refunded' : 'paid'
          return current === 'due' ? 'none' : current
        default:
          return current
      }
    },
    async perform() {},
  }
}
