import { conflict } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import type { Settings } from 'meilisearch'
import type { DB } from '../db/schema.ts'
import { ACTIVITY_SETTINGS, ensureIndex, LISTING_SETTINGS, type Meili, NEED_SETTINGS, waitOk } from '../search/meili.ts'
import { enqueue, lockIndex } from './indexer.ts'
import { activityDocuments, listingDocuments, needDocuments } from './repository.ts'

/** Documents per addDocuments call while rebuilding. */
const PAGE = 5000
/** Documents held in memory before they are enqueued (roughly 1 KB each). */
const FLUSH_DOCS = 50_000
/** A reindex whose heartbeat is older than this died with its process; another may take over. */
const STALE_MS = 120_000
/** Changes made this long before a rebuild started are caught up too (clock skew between replicas). */
const CATCH_UP_MARGIN_MS = 5000

export interface ReindexLog {
  info(obj: Record<string, unknown>, msg: string): void
  error(obj: Record<string, unknown>, msg: string): void
}

interface Target {
  live: string
  settings: Settings
  page: typeof listingDocuments | typeof needDocuments | typeof activityDocuments
}

const targetsOf = (meili: Meili): Target[] => [
  { live: meili.listingsIndex, settings: LISTING_SETTINGS, page: listingDocuments },
  { live: meili.needsIndex, settings: NEED_SETTINGS, page: needDocuments },
  { live: meili.activitiesIndex, settings: ACTIVITY_SETTINGS, page: activityDocuments },
]

/**
 * Claims the reindex (409 `reindex_in_progress` while another runs) and marks the indexes being built, so
 * from the moment this commits every consumer write also goes to them. Returns the run to start.
 */
export async function claimReindex(db: Kysely<DB>, meili: Meili): Promise<Array<Target & { building: string }>> {
  return db.transaction().execute(async (trx) => {
    await lockIndex(trx)
    const targets = targetsOf(meili)
    // Staleness is judged by the database's clock, the one that wrote the heartbeats, so replicas whose
    // clocks drift agree on whether a run died.
    const running = await trx
      .selectFrom('reindexState')
      .select('name')
      .where('buildingUid', 'is not', null)
      .where('heartbeatAt', '>', sql<Date>`clock_timestamp() - make_interval(secs => ${STALE_MS / 1000})`)
      .executeTakeFirst()
    if (running) throw conflict('reindex_in_progress', 'A reindex is running; see GET /v1/admin/index-status.')
    const stamp = Date.now().toString(36)
    const claimed = targets.map((t) => ({ ...t, building: `${t.live}__rebuild_${stamp}` }))
    for (const t of claimed) {
      const values = {
        buildingUid: t.building,
        startedAt: sql<Date>`clock_timestamp()`,
        heartbeatAt: sql<Date>`clock_timestamp()`,
        finishedAt: null,
        documents: 0,
        error: null,
      }
      await trx
        .insertInto('reindexState')
        .values({ name: t.live, ...values })
        .onConflict((oc) => oc.column('name').doUpdateSet(values))
        .execute()
    }
    return claimed
  })
}

/**
 * Rebuilds every index into a new one and swaps it in atomically (Meilisearch swap-indexes), while
 * searches keep reading the live index. Consistency with concurrent feed updates: consumers write to the
 * new index as well once it is claimed; bulk pages may still carry a state read before such an update
 * (and enqueued after it), so once the bulk is in, every row changed since the claim is re-pushed under
 * the index lock, and the swap is enqueued under the same lock, after it.
 */
export async function runReindex(
  db: Kysely<DB>,
  meili: Meili,
  claimed: Array<Target & { building: string }>,
  log: ReindexLog,
): Promise<void> {
  for (const target of claimed) {
    try {
      await rebuild(db, meili, target, log)
    } catch (error) {
      log.error({ err: error, index: target.live }, 'reindex failed')
      await db
        .updateTable('reindexState')
        .set({
          buildingUid: null,
          error: String((error as Error).message ?? error),
          finishedAt: sql<Date>`clock_timestamp()`,
        })
        .where('name', '=', target.live)
        .execute()
      await meili.indexing.deleteIndexIfExists(target.building).catch(() => false)
      return
    }
  }
}

async function rebuild(db: Kysely<DB>, meili: Meili, target: Target & { building: string }, log: ReindexLog) {
  const started = performance.now()
  await meili.indexing.deleteIndexIfExists(target.building)
  // Settings first: documents added afterwards are indexed once, with the right settings.
  await ensureIndex(meili.indexing, target.building, target.settings)
  await ensureIndex(meili.indexing, target.live, target.settings)
  const state = await db
    .selectFrom('reindexState')
    .select('startedAt')
    .where('name', '=', target.live)
    .executeTakeFirstOrThrow()

  // Documents are gathered up to FLUSH_DOCS and then enqueued in quick succession, so Meilisearch indexes
  // them in few large batches, as it would one big upload: every batch pays fixed costs (at 100k
  // documents Meilisearch 1.21 rewrites its whole geo tree per batch), and pages trickling in one by one
  // would each become a batch of their own.
  let after: string | null = null
  let documents = 0
  const pending: number[] = []
  let buffered: object[] = []
  const flush = async () => {
    for (let i = 0; i < buffered.length; i += PAGE) {
      pending.push(...(await enqueue(meili, target.building, buffered.slice(i, i + PAGE), [])))
    }
    buffered = []
  }
  for (;;) {
    const { docs, lastId }: { docs: object[]; lastId: string | null } = await target.page(db, { after, limit: PAGE })
    if (lastId === null) break
    after = lastId
    documents += docs.length
    buffered.push(...docs)
    if (buffered.length >= FLUSH_DOCS) await flush()
    await db
      .updateTable('reindexState')
      .set({ heartbeatAt: sql<Date>`clock_timestamp()`, documents })
      .where('name', '=', target.live)
      .execute()
  }
  await flush()
  for (const uid of pending.splice(0)) await waitOk(meili.indexing, { taskUid: uid })

  // startedAt is the database's clock at the claim (never null once claimed); the margin covers replicas
  // whose clocks lag it when they stamp changed rows.
  const since = new Date((state.startedAt?.getTime() ?? 0) - CATCH_UP_MARGIN_MS)
  const swap = await db.transaction().execute(async (trx) => {
    await lockIndex(trx)
    const changed = await target.page(trx, { changedSince: since })
    const tasks = await enqueue(meili, target.building, changed.docs, changed.removed)
    const swapTask = await meili.indexing.swapIndexes([{ indexes: [target.live, target.building], rename: false }])
    await trx
      .updateTable('reindexState')
      .set({ buildingUid: null, finishedAt: sql<Date>`clock_timestamp()`, documents, error: null })
      .where('name', '=', target.live)
      .execute()
    return [...tasks, swapTask.taskUid]
  })
  for (const uid of swap) await waitOk(meili.indexing, { taskUid: uid })
  // After the swap the rebuilt content is live and the old one sits under the temporary name.
  await waitOk(meili.indexing, await meili.indexing.deleteIndex(target.building))
  log.info({ index: target.live, documents, ms: Math.round(performance.now() - started) }, 'reindex swapped in')
}
