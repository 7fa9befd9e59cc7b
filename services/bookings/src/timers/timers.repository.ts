import { sql, type Transaction } from 'kysely'
import type { DB, TimerKind } from '../db/schema.ts'

/** Schedules (or reschedules) the timer of `kind` for a booking. */
export async function scheduleTimer(trx: Transaction<DB>, bookingId: string, kind: TimerKind, runAt: Date) {
  await trx
    .insertInto('timers')
    .values({ bookingId, kind, runAt, doneAt: null, lastError: null })
    .onConflict((oc) => oc.columns(['bookingId', 'kind']).doUpdateSet({ runAt, doneAt: null }))
    .execute()
}

/** Marks a booking's pending timers (of `kind`, or all) done: the state they waited in is gone. */
export async function cancelTimers(trx: Transaction<DB>, bookingId: string, now: Date, kind?: TimerKind) {
  let update = trx.updateTable('timers').set({ doneAt: now }).where('bookingId', '=', bookingId)
  if (kind) update = update.where('kind', '=', kind)
  await update.where('doneAt', 'is', null).execute()
}

/** The oldest timer due by `now` that no other transaction holds, locked. */
export function takeDueTimer(trx: Transaction<DB>, now: Date) {
  return trx
    .selectFrom('timers')
    .selectAll()
    .where('doneAt', 'is', null)
    .where('runAt', '<=', now)
    .orderBy('runAt')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst()
}

/** Marks a timer done after it ran. */
export async function markTimerDone(trx: Transaction<DB>, id: number, now: Date) {
  await trx
    .updateTable('timers')
    .set({ doneAt: now, attempts: sql<number>`attempts + 1` })
    .where('id', '=', id)
    .execute()
}
