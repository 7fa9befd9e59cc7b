import { setTimeout as sleep } from 'node:timers/promises'
import { type ConsumerHandle, type ConsumerLog, type FeedSource, startConsumer } from '@commons/db'
import type { App } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { applyPrivacyEvent } from '../privacy/personal-data.ts'
import { ACTIVITY_SETTINGS, ensureIndex, LISTING_SETTINGS, type Meili, NEED_SETTINGS } from '../search/meili.ts'
import { applyEvent } from './events.ts'
import { writeIndexed } from './indexer.ts'

/** The consumers' names (their cursors in `feed_cursors`). */
export const CONSUMERS = {
  listings: 'discovery.listings',
  bookings: 'discovery.bookings',
  community: 'discovery.community',
} as const

export interface WorkerOptions {
  db: Kysely<DB>
  meili: Meili
  sources: { listings: FeedSource; bookings: FeedSource; community: FeedSource }
  pollIntervalMs: number
  batchSize: number
  registry?: App['metrics']['registry']
  log: ConsumerLog
}

/** The feed consumers that keep the indexes, started once the indexes exist with their settings. */
export class IndexWorkers {
  private consumers = new Map<string, ConsumerHandle>()
  private readonly stopping = new AbortController()
  private readonly started: Promise<void>

  constructor(private readonly opts: WorkerOptions) {
    this.started = this.start()
  }

  /** Applies index settings (retrying while Meilisearch is unreachable), then starts the consumers. */
  private async start(): Promise<void> {
    const { db, meili, log } = this.opts
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        await ensureIndex(meili.indexing, meili.listingsIndex, LISTING_SETTINGS)
        await ensureIndex(meili.indexing, meili.needsIndex, NEED_SETTINGS)
        await ensureIndex(meili.indexing, meili.activitiesIndex, ACTIVITY_SETTINGS)
        break
      } catch (error) {
        const retryInMs = Math.min(30_000, 200 * 2 ** attempt)
        log.warn({ err: error, retryInMs }, 'applying search index settings failed; retrying')
        await sleep(retryInMs, undefined, { signal: this.stopping.signal }).catch(() => {})
      }
    }
    if (this.stopping.signal.aborted) return
    for (const [feed, name] of Object.entries(CONSUMERS) as Array<[keyof typeof CONSUMERS, string]>) {
      this.consumers.set(
        name,
        startConsumer({
          db,
          name,
          source: this.opts.sources[feed],
          pollIntervalMs: this.opts.pollIntervalMs,
          batchSize: this.opts.batchSize,
          registry: this.opts.registry,
          log,
          handleBatch: (events) =>
            writeIndexed(db, meili, async (trx, touched) => {
              for (const event of events) {
                await applyEvent(trx, event, touched, log)
                await applyPrivacyEvent(trx, event)
              }
            }),
        }),
      )
    }
  }

  /** Resolves once every consumer caught up with their feeds (tests, scripts). */
  async drain(): Promise<void> {
    await this.started
    await Promise.all([...this.consumers.values()].map((c) => c.drain()))
  }

  /** Seconds each consumer running in this process is behind. */
  lag(name: string): number | null {
    return this.consumers.get(name)?.lag() ?? null
  }

  async stop(): Promise<void> {
    this.stopping.abort()
    await this.started
    await Promise.all([...this.consumers.values()].map((c) => c.stop()))
  }
}
