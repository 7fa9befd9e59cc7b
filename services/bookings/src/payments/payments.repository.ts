import type { Kysely, NotNull, Transaction } from 'kysely'
import type { BookingRow, DB, PaymentStatus, PriceSnapshot } from '../db/schema.ts'
import type { PaymentPart, PaymentSubject } from './payment-provider.ts'

/** The parts a price is paid in (the charge, the deposit), with the provider's id of each where it has one. */
export function paymentParts(
  price: PriceSnapshot,
  externalIds: Partial<Record<PaymentPart['purpose'], string>>,
): PaymentPart[] {
  const parts: PaymentPart[] = [
    { purpose: 'charge', amount: price.amount, externalId: externalIds.charge ?? null },
    { purpose: 'deposit', amount: price.deposit, externalId: externalIds.deposit ?? null },
  ]
  return parts.filter((p) => p.amount > 0)
}

/** The payment subject of a booking, with its stored parts. */
export async function paymentSubject(db: Kysely<DB>, row: BookingRow): Promise<PaymentSubject> {
  const parts = await db
    .selectFrom('payments')
    .select(['purpose', 'amount', 'externalId'])
    .where('bookingId', '=', row.id)
    .execute()
  return { bookingId: row.id, price: row.price, parts }
}

/** The refunded part of a booking's charge. */
export async function setChargeRefunded(trx: Transaction<DB>, bookingId: string, amount: number, now: Date) {
  await trx
    .updateTable('payments')
    .set({ refundedAmount: amount, updatedAt: now })
    .where('bookingId', '=', bookingId)
    .where('purpose', '=', 'charge')
    .execute()
}

/** Sets every payment row of a booking to the booking's payment status (offline rows follow the booking). */
export async function setPaymentsStatus(
  trx: Transaction<DB>,
  bookingId: string,
  status: PaymentStatus,
  now: Date,
  received?: { method: string; reference: string },
) {
  await trx
    .updateTable('payments')
    .set({ status, updatedAt: now, ...received })
    .where('bookingId', '=', bookingId)
    .execute()
}

/** Locks the payment rows of a booking, in a fixed order (callers hold the booking's lock first). */
export function lockPayments(trx: Transaction<DB>, bookingId: string) {
  return trx.selectFrom('payments').selectAll().where('bookingId', '=', bookingId).orderBy('id').forUpdate().execute()
}

/** The booking a provider's payment id (a Stripe PaymentIntent) belongs to; unlocked. */
export async function bookingIdOfPayment(db: Kysely<DB>, externalId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('payments')
    .select('bookingId')
    .where('externalId', '=', externalId)
    .executeTakeFirst()
  return row?.bookingId
}

/** Stores the status a provider reported for one payment row. */
export async function setPaymentStatus(trx: Transaction<DB>, id: string, status: string, now: Date) {
  await trx.updateTable('payments').set({ status, updatedAt: now }).where('id', '=', id).execute()
}

/** The parts of a booking that the provider opened (those with an external id), charge first. */
export function externalParts(db: Kysely<DB>, bookingId: string) {
  return db
    .selectFrom('payments')
    .select(['purpose', 'amount', 'currency', 'externalId'])
    .where('bookingId', '=', bookingId)
    .where('externalId', 'is not', null)
    .$narrowType<{ externalId: NotNull }>()
    .orderBy('purpose')
    .execute()
}

/** The payment row of a provider's payment id, locked. */
export function lockPaymentByExternalId(trx: Transaction<DB>, externalId: string) {
  return trx.selectFrom('payments').selectAll().where('externalId', '=', externalId).forUpdate().executeTakeFirst()
}

/** The statuses of a booking's payment rows. */
export function paymentStatuses(db: Kysely<DB>, bookingId: string) {
  return db.selectFrom('payments').select('status').where('bookingId', '=', bookingId).execute()
}
