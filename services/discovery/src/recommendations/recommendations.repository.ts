import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

const HISTORY_LIMIT = 200

export async function isPersonalised(db: Kysely<DB>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('memberSettings')
    .select('personalised')
    .where('userId', '=', userId)
    .executeTakeFirst()
  return row?.personalised ?? true
}

export async function setPersonalised(db: Kysely<DB>, userId: string, personalised: boolean): Promise<void> {
  await db
    .insertInto('memberSettings')
    .values({ userId, personalised, historyClearedAt: null })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ personalised }))
    .execute()
}

export async function recordView(db: Kysely<DB>, userId: string, listingId: string): Promise<void> {
  await db.insertInto('views').values({ userId, listingId }).execute()
}

/** Deletes the member's views and leaves their earlier bookings out of the profile from now on. */
export async function clearHistory(db: Kysely<DB>, userId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('views').where('userId', '=', userId).execute()
    await trx
      .insertInto('memberSettings')
      .values({ userId, historyClearedAt: now })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ historyClearedAt: now }))
      .execute()
  })
}

/** The member's recent views and bookings (since they last cleared their history). */
export async function history(db: Kysely<DB>, userId: string) {
  const settings = await db
    .selectFrom('memberSettings')
    .select('historyClearedAt')
    .where('userId', '=', userId)
    .executeTakeFirst()
  const views = await db
    .selectFrom('views')
    .select(['listingId', 'viewedAt'])
    .where('userId', '=', userId)
    .orderBy('viewedAt', 'desc')
    .limit(HISTORY_LIMIT)
    .execute()
  let bookings = db
    .selectFrom('bookings')
    .select(['listingId', 'createdAt'])
    .where('requesterUserId', '=', userId)
    .orderBy('createdAt', 'desc')
    .limit(HISTORY_LIMIT)
  if (settings?.historyClearedAt) bookings = bookings.where('createdAt', '>', settings.historyClearedAt)
  return { views, bookings: await bookings.execute() }
}

/** Kind, district and tags of listings (from their last snapshot, withdrawn ones included when known). */
export async function listingFacts(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return []
  const rows = await db.selectFrom('listings').select(['id', 'snapshot']).where('id', 'in', ids).execute()
  return rows.flatMap((r) => {
    const s = r.snapshot as { kind?: string; tags?: string[]; location?: { district?: string } } | null
    return s?.kind ? [{ id: r.id, kind: s.kind, tags: s.tags ?? [], district: s.location?.district ?? '' }] : []
  })
}
