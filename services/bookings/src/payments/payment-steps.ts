import type { Transaction } from 'kysely'
import { findBooking } from '../bookings/bookings.repository.ts'
import type { DB, PaymentStatus, PaymentStepsTable } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { paymentStepsKey } from '../jobs/booking-jobs.ts'
import type { PaymentStep, PaymentSubject } from './payment-provider.ts'
import { paymentSubject } from './payments.repository.ts'

/**
 * Decides a money step inside the booking's transaction and returns the payment status the booking has once
 * it is done. For a remote provider (Stripe) the step is recorded and a job enqueued in the same transaction,
 * and the call happens after the commit: a slow or unreachable Stripe then holds no booking lock, and a step
 * is never lost to a rollback nor taken for a change that rolled back. Offline steps move no money.
 */
export async function takePaymentStep(
  trx: Transaction<DB>,
  deps: Pick<BookingsDeps, 'payments' | 'jobs'>,
  subject: PaymentSubject,
  current: PaymentStatus,
  step: PaymentStep,
  now: Date,
): Promise<PaymentStatus> {
  const after = deps.payments.statusAfter(subject, current, step)
  if (!deps.payments.remote) return after
  await trx
    .insertInto('paymentSteps')
    .values({
      bookingId: subject.bookingId,
      step: step.step,
      amount: 'amount' in step ? step.amount : null,
      fromStatus: current,
      createdAt: now,
      doneAt: null,
      lastError: null,
    })
    .execute()
  await deps.jobs.enqueue(
    trx,
    'payment.steps',
    { bookingId: subject.bookingId },
    { key: paymentStepsKey(subject.bookingId), runAt: now },
  )
  return after
}

const stepOf = (row: Pick<PaymentStepsTable, 'step' | 'amount'>): PaymentStep =>
  row.step === 'refund' || row.step === 'retain_deposit'
    ? { step: row.step, amount: row.amount ?? 0 }
    : { step: row.step }

/**
 * The `payment.steps` job: carries out a booking's pending steps with the provider, oldest first, outside
 * any transaction. A failing step stops the run (later steps may depend on it, as a refund on its capture)
 * and fails the job, which the queue retries with backoff; its error is kept on the row for operators. Each
 * call carries the step's Stripe idempotency key, so a step repeated after a crash moves no money twice.
 */
export async function runPaymentSteps(deps: BookingsDeps, job: { bookingId: string }): Promise<void> {
  const booking = await findBooking(deps.db, job.bookingId)
  if (!booking) return
  const pending = await deps.db
    .selectFrom('paymentSteps')
    .selectAll()
    .where('bookingId', '=', job.bookingId)
    .where('doneAt', 'is', null)
    .orderBy('id')
    .execute()
  if (pending.length === 0) return
  const subject = await paymentSubject(deps.db, booking)
  for (const row of pending) {
    try {
      await deps.payments.perform(subject, row.fromStatus, stepOf(row))
    } catch (error) {
      await deps.db
        .updateTable('paymentSteps')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          lastError: error instanceof Error ? error.message : String(error),
        }))
        .where('id', '=', row.id)
        .execute()
      throw error
    }
    await deps.db
      .updateTable('paymentSteps')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), lastError: null, doneAt: deps.clock.now() }))
      .where('id', '=', row.id)
      .execute()
  }
}
