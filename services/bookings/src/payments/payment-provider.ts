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
 * How money moves. `offline` (default): the provider collects on site or by transfer and records it;
 * nothing is taken at booking time. `stripe` (STRIPE_SECRET_KEY set): manual-capture PaymentIntents.
 * Every method returns the booking's new payment status; calls are idempotent per booking.
 */
export interface PaymentProvider {
  readonly name: 'offline' | 'stripe'
  /**
   * A booking was created. `holdsForPayment`: it waits in pending_payment until the money is authorised.
   * `externalIds`: the provider's id of each part it opened.
   */
  open(subject: PaymentSubject): Promise<{
    status: PaymentStatus
    holdsForPayment: boolean
    externalIds: Partial<Record<PaymentPart['purpose'], string>>
  }>
  /** The booking was confirmed: take the authorised charge (the deposit stays authorised). */
  capture(subject: PaymentSubject, current: PaymentStatus): Promise<PaymentStatus>
  /** The booking ended before any money was taken (declined, expired, cancelled unpaid): let go of it. */
  release(subject: PaymentSubject, current: PaymentStatus): Promise<PaymentStatus>
  /** A paid booking was cancelled: give back `amount` minor units of the charge and release the deposit. */
  refund(subject: PaymentSubject, current: PaymentStatus, amount: number): Promise<PaymentStatus>
  /** The damage window closed without a report: release the deposit. */
  releaseDeposit(subject: PaymentSubject): Promise<void>
  /** The provider reported damage: keep `amount` minor units of the deposit, release the rest. */
  retainDeposit(subject: PaymentSubject, amount: number): Promise<void>
}

/** Nothing is charged online: the amount is due until the provider records it (POST /v1/bookings/:id/payment). */
export function offlinePayments(): PaymentProvider {
  return {
    name: 'offline',
    async open(subject) {
      const owed = subject.price.amount + subject.price.deposit
      return { status: owed > 0 ? 'due' : 'none', holdsForPayment: false, externalIds: {} }
    },
    async capture(_subject, current) {
      return current
    },
    async release(_subject, current) {
      return current === 'due' ? 'none' : current
    },
    async refund(_subject, current, amount) {
      if (current === 'paid') return amount > 0 ? 'refunded' : 'paid'
      return current === 'due' ? 'none' : current
    },
    async releaseDeposit() {},
    async retainDeposit() {},
  }
}
