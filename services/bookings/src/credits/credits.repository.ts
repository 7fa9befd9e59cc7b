import { newId } from '@commons/db'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/** One line of a credit journal: minutes gained (positive) or spent (negative) by an account. */
export interface CreditEntry {
  accountKind: 'member' | 'organization'
  accountId: string
  organizationId: string
  minutes: number
}

type JournalOrigin = { bookingId: string } | { bookingId: null; activityId: string; registrationId: string }

/**
 * Opens a journal of `kind` for its origin, once: the origin's unique index makes a replay return null
 * instead of a second journal.
 */
export async function openJournal(
  trx: Transaction<DB>,
  origin: JournalOrigin,
  kind: 'earn' | 'reverse',
  now: Date,
): Promise<string | null> {
  const row = await trx
    .insertInto('creditJournals')
    .values({ id: newId(), ...origin, kind, createdAt: now })
    .onConflict((oc) =>
      origin.bookingId === null
        ? oc.columns(['registrationId', 'kind']).where('registrationId', 'is not', null).doNothing()
        : oc.columns(['bookingId', 'kind']).doNothing(),
    )
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

/**
 * Writes a journal's entries and runs the deferred balance check now. At commit, a failure would only roll
 * back the feed consumer's batch, to be retried with backoff and never reported to its caller; here it
 * fails the handler that wrote the journal, naming `credit_entries_balanced`. Deferred again afterwards,
 * so the rest of the transaction keeps the schema's timing.
 */
export async function writeEntries(
  trx: Transaction<DB>,
  journalId: string,
  entries: CreditEntry[],
  now: Date,
): Promise<void> {
  await trx
    .insertInto('creditEntries')
    .values(entries.map((e) => ({ ...e, journalId, createdAt: now })))
    .execute()
  await sql`set constraints credit_entries_balanced immediate`.execute(trx)
  await sql`set constraints credit_entries_balanced deferred`.execute(trx)
}

/** The first provider admin who accepted or completed the booking in person (not as a moderator). */
export async function firstProviderActor(trx: Transaction<DB>, bookingId: string): Promise<string | null> {
  const row = await trx
    .selectFrom('bookingAudit')
    .select('actorUserId')
    .where('bookingId', '=', bookingId)
    .where('action', 'in', ['accept', 'complete'])
    .where('moderatorOverride', '=', false)
    .where('actorUserId', 'is not', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  return row?.actorUserId ?? null
}

/** The id of the booking's earning journal, if it was credited. */
export async function earnedJournalOf(trx: Transaction<DB>, bookingId: string): Promise<string | null> {
  const row = await trx
    .selectFrom('creditJournals')
    .select('id')
    .where('bookingId', '=', bookingId)
    .where('kind', '=', 'earn')
    .executeTakeFirst()
  return row?.id ?? null
}

/** The entries of one journal. */
export async function journalEntries(trx: Transaction<DB>, journalId: string): Promise<CreditEntry[]> {
  return trx
    .selectFrom('creditEntries')
    .select(['accountKind', 'accountId', 'organizationId', 'minutes'])
    .where('journalId', '=', journalId)
    .execute()
}

/** Every entry of an account with its journal's origin, newest first. */
export async function accountEntries(db: Kysely<DB>, kind: 'member' | 'organization', id: string) {
  return db
    .selectFrom('creditEntries as e')
    .innerJoin('creditJournals as j', 'j.id', 'e.journalId')
    .select(['j.bookingId', 'j.activityId', 'j.kind', 'e.minutes', 'e.organizationId', 'e.createdAt'])
    .where('e.accountKind', '=', kind)
    .where('e.accountId', '=', id)
    .orderBy('e.id', 'desc')
    .execute()
}
