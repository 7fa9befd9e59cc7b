import type { Actor, Booking } from '@commons/contracts'
import { conflict, invalidTransition, unprocessable } from '@commons/service-kit'
import type { Transaction } from 'kysely'
import { lockAsProvider } from '../bookings/booking-access.ts'
import { audit, saveDepositRetained } from '../bookings/bookings.repository.ts'
import { DAMAGE_WINDOW_MS } from '../bookings/transitions.ts'
import type { BookingRow, DB } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { cancelTimers } from '../timers/timers.repository.ts'
import { takePaymentStep } from './payment-steps.ts'
import { paymentSubject } from './payments.repository.ts'
import { recordProviderAction } from './provider-action.ts'

/**
 * `POST /v1/bookings/:id/damage`: the provider keeps (part of) the deposit of a completed booking (or a
 * no-show) within 48 h of its end; the rest is released. Once per booking.
 */
export async function reportDamage(
  deps: BookingsDeps,
  actor: Actor,
  id: string,
  body: { amount: number; reason: string },
): Promise<Booking> {
  return deps.db.transaction().execute(async (trx) => {
    const { row, parties } = await lockAsProvider(trx, actor, id, 'Only the provider reports damage.')
    const now = deps.clock.now()
    if (row.status !== 'completed' && row.status !== 'no_show') throw invalidTransition(row.status, 'report damage')
    if (row.price.deposit === 0 || row.depositRetained > 0)
      throw conflict('no_deposit_held', 'This booking holds no deposit (any more).')
    // Only a moderator's override reaches past the window, never a provider admin who also moderates.
    const override = !parties.includes('provider')
    if (now.getTime() > row.endAt.getTime() + DAMAGE_WINDOW_MS && !override)
      throw conflict('damage_window_closed', 'Damage is reported within 48 hours of the end.')
    if (body.amount > row.price.deposit)
      throw unprocessable('amount_exceeds_deposit', `The deposit is ${row.price.deposit}.`)
    const subject = await paymentSubject(trx, row)
    await takePaymentStep(trx, deps, subject, row.paymentStatus, { step: 'retain_deposit', amount: body.amount }, now)
    const saved = await saveDepositRetained(trx, id, body.amount, now)
    // Its only pending timer is the deposit release, moot now.
    await cancelTimers(trx, deps.jobs, id)
    return recordProviderAction(trx, {
      actor,
      parties,
      action: 'report_damage',
      before: row,
      saved,
      reason: `${body.amount}: ${body.reason}`,
      now,
    })
  })
}

/** The damage window closed without a report: the deposit goes back (timer `deposit_release`). */
export async function releaseDeposit(trx: Transaction<DB>, deps: BookingsDeps, row: BookingRow): Promise<void> {
  if (row.depositRetained > 0) return
  const subject = await paymentSubject(trx, row)
  await takePaymentStep(trx, deps, subject, row.paymentStatus, { step: 'release_deposit' }, deps.clock.now())
  await audit(trx, {
    bookingId: row.id,
    actorUserId: null,
    actorRole: 'system',
    action: 'release_deposit',
    fromStatus: row.status,
    toStatus: row.status,
    reason: 'timer:deposit_release',
    moderatorOverride: false,
    at: deps.clock.now(),
  })
}
