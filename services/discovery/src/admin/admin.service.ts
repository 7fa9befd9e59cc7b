import type { IndexStatus, ReindexStatus } from '@commons/contracts'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { DiscoveryDeps } from '../deps.ts'
import { claimReindex, type ReindexLog, runReindex } from '../indexing/reindex.ts'
import type { IndexWorkers } from '../indexing/workers.ts'
import { CONSUMERS } from '../indexing/workers.ts'
import { guardSearch, type Meili } from '../search/meili.ts'

export interface AdminDeps extends DiscoveryDeps {
  log: ReindexLog
}

/** Starts a rebuild of the indexes in the background; the caller follows it in the index status. */
export async function startReindex(deps: AdminDeps) {
  const claimed = await claimReindex(deps.db, deps.meili)
  void runReindex(deps.db, deps.meili, claimed, deps.log)
  return reindexStatus(deps.db, deps.meili)
}

async function reindexStatus(db: Kysely<DB>, meili: Meili): Promise<ReindexStatus> {
  const rows = await db.selectFrom('reindexState').selectAll().execute()
  const of = (uid: string) => rows.find((r) => r.name === uid)
  const row = of(meili.listingsIndex)
  // Indexes are rebuilt in this order; the last one's finish is the run's.
  const others = [of(meili.needsIndex), of(meili.activitiesIndex)]
  if (!row) return { state: 'idle', startedAt: null, finishedAt: null, documents: 0, error: null }
  const running = Boolean(row.buildingUid || others.some((o) => o?.buildingUid))
  const error = row.error ?? others.find((o) => o?.error)?.error ?? null
  const finished = others[1]?.finishedAt ?? others[0]?.finishedAt ?? row.finishedAt
  return {
    state: running ? 'running' : error ? 'failed' : 'idle',
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: running ? null : (finished?.toISOString() ?? null),
    documents: row.documents,
    error,
  }
}

/** Documents per index, each consumer's cursor and lag, and the reindex state. */
export async function indexStatus(deps: AdminDeps, workers: IndexWorkers | null): Promise<IndexStatus> {
  const { db, meili } = deps
  const stats = await guardSearch(() => meili.search.getStats())
  const cursors = await db.selectFrom('feedCursors').selectAll().execute()
  return {
    indexes: (
      [
        ['listings', meili.listingsIndex],
        ['needs', meili.needsIndex],
        ['activities', meili.activitiesIndex],
      ] as const
    ).map(([name, uid]) => ({
      name,
      uid,
      documents: stats.indexes[uid]?.numberOfDocuments ?? 0,
      isIndexing: stats.indexes[uid]?.isIndexing ?? false,
    })),
    consumers: Object.values(CONSUMERS).map((name) => {
      const cursor = cursors.find((c) => c.consumer === name)
      return {
        name,
        cursor: cursor?.position ?? null,
        updatedAt: cursor?.updatedAt.toISOString() ?? null,
        lagSeconds: workers?.lag(name) ?? null,
      }
    }),
    reindex: await reindexStatus(db, meili),
  }
}
