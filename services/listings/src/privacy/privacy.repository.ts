import { CLOSED_ACCOUNT_NAME, type ConsentPurpose, LISTINGS_EVENTS } from '@commons/contracts'
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { DataExportsTable, DB } from '../db/schema.ts'

type Db = Kysely<DB> | Transaction<DB>

// --- notice and consents ---

/** The latest record per purpose of the person's optional consents. */
export async function latestConsentRecords(db: Db, userId: string) {
  return db
    .selectFrom('consentRecords')
    .distinctOn('purpose')
    .select(['purpose', 'granted'])
    .where('userId', '=', userId)
    .orderBy('purpose')
    .orderBy('id', 'desc')
    .execute()
}

export async function insertConsentRecords(
  trx: Transaction<DB>,
  rows: Array<{ userId: string; purpose: ConsentPurpose; granted: boolean; recordedAt: Date }>,
) {
  if (rows.length > 0) await trx.insertInto('consentRecords').values(rows).execute()
}

/** How many consent changes the person's feed entity has had: the next event's version follows it. */
export async function consentEventCount(trx: Transaction<DB>, userId: string): Promise<number> {
  const row = await trx
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', LISTINGS_EVENTS.userConsentsChanged)
    .where('entityId', '=', userId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Records that the person accepted `noticeVersion`; accepting it again changes nothing. */
export async function insertNoticeAcceptance(db: Db, userId: string, noticeVersion: string, acceptedAt: Date) {
  await db
    .insertInto('noticeAcceptances')
    .values({ userId, noticeVersion, acceptedAt })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export async function latestNoticeAcceptance(db: Db, userId: string) {
  return db
    .selectFrom('noticeAcceptances')
    .select(['noticeVersion', 'acceptedAt'])
    .where('userId', '=', userId)
    .orderBy('acceptedAt', 'desc')
    .executeTakeFirst()
}

export async function hasAcceptedNotice(db: Db, userId: string, noticeVersion: string): Promise<boolean> {
  const row = await db
    .selectFrom('noticeAcceptances')
    .select('userId')
    .where('userId', '=', userId)
    .where('noticeVersion', '=', noticeVersion)
    .executeTakeFirst()
  return row !== undefined
}

// --- account deletion ---

/** The request to close the account that is neither cancelled nor carried out yet. */
export async function pendingDeletion(db: Db, userId: string) {
  return db
    .selectFrom('deletionRequests')
    .select(['requestedAt', 'closesAt'])
    .where('userId', '=', userId)
    .where('cancelledAt', 'is', null)
    .where('closedAt', 'is', null)
    .executeTakeFirst()
}

/** Organizations the person is the only owner of. */
export async function soleOwnerships(trx: Transaction<DB>, userId: string) {
  return trx
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organizationId')
    .select(['o.id', 'o.name'])
    .where('m.userId', '=', userId)
    .where('m.role', '=', 'owner')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('memberships as other')
            .select('other.userId')
            .whereRef('other.organizationId', '=', 'm.organizationId')
            .where('other.role', '=', 'owner')
            .where('other.userId', '<>', userId),
        ),
      ),
    )
    .execute()
}

/** Opens (or reopens) the person's request to close the account at `closesAt`. */
export async function saveDeletionRequest(trx: Transaction<DB>, userId: string, requestedAt: Date, closesAt: Date) {
  await trx
    .insertInto('deletionRequests')
    .values({ userId, requestedAt, closesAt, cancelledAt: null, closedAt: null })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ requestedAt, closesAt, cancelledAt: null, closedAt: null }))
    .execute()
}

/** Cancels the pending request; false when there was none. */
export async function cancelPendingDeletion(trx: Transaction<DB>, userId: string, at: Date): Promise<boolean> {
  const cancelled = await trx
    .updateTable('deletionRequests')
    .set({ cancelledAt: at })
    .where('userId', '=', userId)
    .where('cancelledAt', 'is', null)
    .where('closedAt', 'is', null)
    .executeTakeFirst()
  return Number(cancelled.numUpdatedRows) > 0
}

export async function lockDeletionRequest(trx: Transaction<DB>, userId: string) {
  return trx.selectFrom('deletionRequests').selectAll().where('userId', '=', userId).forUpdate().executeTakeFirst()
}

export async function markDeletion(
  trx: Transaction<DB>,
  userId: string,
  mark: { cancelledAt: Date } | { closedAt: Date },
) {
  await trx.updateTable('deletionRequests').set(mark).where('userId', '=', userId).execute()
}

export async function lockUser(trx: Transaction<DB>, userId: string) {
  return trx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst()
}

/** Removes the person from every organization; returns those organizations, each locked for its event. */
export async function removeAllMemberships(trx: Transaction<DB>, userId: string): Promise<string[]> {
  const rows = await trx.deleteFrom('memberships').where('userId', '=', userId).returning('organizationId').execute()
  for (const { organizationId } of rows) {
    await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().execute()
  }
  return rows.map((r) => r.organizationId)
}

/**
 * Erases the person's personal fields and every secret and archive keyed by them. The id stays as the
 * pseudonym; consent and notice records stay as proof.
 */
export async function eraseUser(
  trx: Transaction<DB>,
  user: { id: string; email: string; phone: string | null },
  now: Date,
) {
  await trx
    .updateTable('users')
    .set({
      email: `closed-${user.id}@closed.invalid`,
      displayName: CLOSED_ACCOUNT_NAME,
      phone: null,
      // Not a valid argon2 hash, so no password ever matches it.
      passwordHash: '!closed',
      moderator: false,
      closedAt: now,
      updatedAt: now,
    })
    .where('id', '=', user.id)
    .execute()
  await trx.deleteFrom('refreshTokens').where('userId', '=', user.id).execute()
  await trx.deleteFrom('loginThrottle').where('email', '=', user.email).execute()
  if (user.phone) await trx.deleteFrom('phoneCodes').where('phone', '=', user.phone).execute()
  await trx.deleteFrom('dataExports').where('userId', '=', user.id).execute()
}

// --- data exports ---

const EXPORT_COLUMNS = ['id', 'status', 'requestedAt', 'readyAt', 'expiresAt'] as const

export async function insertExport(trx: Transaction<DB>, id: string, userId: string, requestedAt: Date) {
  return trx
    .insertInto('dataExports')
    .values({ id, userId, requestedAt })
    .returning(EXPORT_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findUserExport(db: Db, id: string, userId: string) {
  return db
    .selectFrom('dataExports')
    .select(EXPORT_COLUMNS)
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst()
}

export async function findExport(db: Db, id: string): Promise<Selectable<DataExportsTable> | undefined> {
  return db.selectFrom('dataExports').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Stores a pending export's archive; an export that is no longer pending is left alone. */
export async function completeExport(db: Db, id: string, done: { readyAt: Date; expiresAt: Date; archive: string }) {
  await db
    .updateTable('dataExports')
    .set({ status: 'ready', ...done })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

export async function failExport(db: Db, id: string) {
  await db.updateTable('dataExports').set({ status: 'failed' }).where('id', '=', id).execute()
}

/** What listings itself holds about the person, for their data export. */
export async function personalData(db: Db, userId: string) {
  const [user, memberships, noticeAcceptances, consentRecords, deletionRequests, needRequests] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'email', 'displayName', 'phone', 'moderator', 'createdAt', 'closedAt'])
      .where('id', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.organizationId')
      .select(['memberships.organizationId', 'organizations.name as organizationName', 'memberships.role'])
      .where('memberships.userId', '=', userId)
      .execute(),
    db.selectFrom('noticeAcceptances').select(['noticeVersion', 'acceptedAt']).where('userId', '=', userId).execute(),
    db
      .selectFrom('consentRecords')
      .select(['purpose', 'granted', 'recordedAt'])
      .where('userId', '=', userId)
      .orderBy('id')
      .execute(),
    db.selectFrom('deletionRequests').selectAll().where('userId', '=', userId).execute(),
    db.selectFrom('needRequests').select(['needId', 'createdAt']).where('userId', '=', userId).execute(),
  ])
  return { profile: user ?? null, memberships, noticeAcceptances, consentRecords, deletionRequests, needRequests }
}
