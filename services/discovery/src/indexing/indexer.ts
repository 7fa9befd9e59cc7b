import { type Kysely, sql, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import { type Meili, waitOk } from '../search/meili.ts'
import { activityDocuments, listingDocuments, needDocuments, touch } from './repository.ts'

// Two-key advisory lock (apart from the kit's): every write to the indexes reads Postgres and enqueues its
// Meilisearch tasks under it, so the order of tasks in Meilisearch is the order of the states read.
const INDEX_LOCK = sql`pg_advisory_xact_lock(${0x64697363}, hashtext('discovery.index'))`

/** Ids whose index entries an effect changed (or may have: a replayed event still re-pushes). */
export interface Touched {
  listings: Set<string>
  needs: Set<string>
  activities: Set<string>
}

export const emptyTouched = (): Touched => ({ listings: new Set(), needs: new Set(), activities: new Set() })

/** Takes the index lock in a transaction. */
export async function lockIndex(trx: Transaction<DB>): Promise<void> {
  await sql`select ${INDEX_LOCK}`.execute(trx)
}

/**
 * Applies `effect` in one short transaction and pushes the resulting state of every id it touched to the
 * live indexes (and to the index a reindex is building), then waits until Meilisearch has applied it.
 *
 * The effect commits before anything is sent to Meilisearch. A transaction that has written holds a
 * transaction id, and while one is open every feed of the cluster holds back newer events (packages/db
 * feed.ts): a Meilisearch slow to answer would delay what bookings, messaging and community learn from
 * their feeds. The push then reads and enqueues in a transaction of its own that writes nothing, so it
 * holds no id however long Meilisearch takes.
 *
 * The pushed state is always read back from Postgres, never taken from the event, so a batch replayed
 * after its push failed (its Postgres effect committed) re-pushes the right state even though the
 * version guard makes the replayed effect a no-op. A failure anywhere throws, and the consumer retries
 * the batch.
 */
export async function writeIndexed(
  db: Kysely<DB>,
  meili: Meili,
  effect: (trx: Transaction<DB>, touched: Touched) => Promise<void>,
): Promise<void> {
  const { listingIds, needIds, activityIds } = await db.transaction().execute(async (trx) => {
    await lockIndex(trx)
    const touched = emptyTouched()
    await effect(trx, touched)
    const ids = {
      listingIds: [...touched.listings],
      needIds: [...touched.needs],
      activityIds: [...touched.activities],
    }
    await touch(trx, ids.listingIds, ids.needIds, ids.activityIds)
    return ids
  })
  if (listingIds.length + needIds.length + activityIds.length === 0) return
  // Reads and enqueues under the index lock, so Meilisearch applies states in the order they were read:
  // a push that read an older state cannot land after one that read a newer one.
  const tasks = await db.transaction().execute(async (trx) => {
    await lockIndex(trx)
    const building = await buildingIndexes(trx, meili)
    const enqueued: number[] = []
    if (listingIds.length > 0) {
      const { docs, removed } = await listingDocuments(trx, { ids: listingIds })
      for (const uid of [meili.listingsIndex, building.listings]) {
        if (uid) enqueued.push(...(await enqueue(meili, uid, docs, removed)))
      }
    }
    if (needIds.length > 0) {
      const { docs, removed } = await needDocuments(trx, { ids: needIds })
      for (const uid of [meili.needsIndex, building.needs]) {
        if (uid) enqueued.push(...(await enqueue(meili, uid, docs, removed)))
      }
    }
    if (activityIds.length > 0) {
      const { docs, removed } = await activityDocuments(trx, { ids: activityIds })
      for (const uid of [meili.activitiesIndex, building.activities]) {
        if (uid) enqueued.push(...(await enqueue(meili, uid, docs, removed)))
      }
    }
    return enqueued
  })
  for (const uid of tasks) await waitOk(meili.indexing, { taskUid: uid })
}

/** Enqueues upserts and removals on one index; returns the task uids. */
export async function enqueue(meili: Meili, uid: string, docs: object[], removed: string[]): Promise<number[]> {
  const index = meili.indexing.index(uid)
  const tasks: number[] = []
  if (docs.length > 0) tasks.push((await index.addDocuments(docs, { primaryKey: 'id' })).taskUid)
  if (removed.length > 0) tasks.push((await index.deleteDocuments(removed)).taskUid)
  return tasks
}

/** The uids of indexes a reindex is building right now (written to alongside the live ones). */
async function buildingIndexes(
  trx: Transaction<DB>,
  meili: Meili,
): Promise<{ listings?: string; needs?: string; activities?: string }> {
  const rows = await trx.selectFrom('reindexState').select(['name', 'buildingUid']).execute()
  const of = (name: string) => rows.find((r) => r.name === name)?.buildingUid ?? undefined
  return { listings: of(meili.listingsIndex), needs: of(meili.needsIndex), activities: of(meili.activitiesIndex) }
}
