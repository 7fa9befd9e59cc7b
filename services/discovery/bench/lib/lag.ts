import { LISTINGS_EVENTS } from '@commons/contracts'
import { appendEvent, createDb, type KitTables } from '@commons/db'
import type { BenchContext } from '@commons/testkit'
import { Meilisearch } from 'meilisearch'
import { anyOf } from '../../src/search/filters.ts'
import { type Corpus, generateListing, startDiscovery } from './corpus.ts'

/** Publications per second of every lag measurement. */
export const LAG_RATE_PER_SECOND = 20
/** How often the watcher asks Meilisearch which publications it can find. */
export const LAG_POLL_MS = 10

/**
 * Lag from a listing's publication (its event committed to the listings outbox) to the listing being
 * searchable, at a steady {@link LAG_RATE_PER_SECOND} publications per second for `seconds`, through the
 * real consumer of a discovery app started for the measurement. The published listings are generated
 * listings `firstListing`, `firstListing + 1`, ...: numbers no other listing of the corpus has, so each
 * one is new to discovery. Returns one lag in milliseconds per publication.
 */
export async function measureLag(
  ctx: BenchContext,
  c: Corpus,
  { seconds, firstListing }: { seconds: number; firstListing: number },
): Promise<number[]> {
  const { app } = await startDiscovery(c, { RUN_WORKERS: 'true', FEED_POLL_INTERVAL_MS: '50' })
  const outbox = createDb<KitTables>({ url: c.databaseUrl, schema: 'listings', poolMax: 4 })
  const client = new Meilisearch({ host: ctx.meiliUrl, apiKey: ctx.meiliKey })
  const index = client.index(`${c.env.MEILI_INDEX_PREFIX}listings`)
  try {
    await app.indexWorkers!.drain()
    const total = LAG_RATE_PER_SECOND * seconds
    const published = new Map<string, number>()
    const lags: number[] = []
    let done = false
    const poller = (async () => {
      while (!done || published.size > 0) {
        const pending = [...published.keys()]
        if (pending.length > 0) {
          const res = await index.search('', {
            filter: [anyOf('id', pending)],
            limit: pending.length,
            attributesToRetrieve: ['id'],
          })
          const seen = performance.now()
          for (const hit of res.hits) {
            const at = published.get(hit.id as string)
            if (at !== undefined) {
              lags.push(seen - at)
              published.delete(hit.id as string)
            }
          }
        }
        await new Promise((resolve) => setTimeout(resolve, LAG_POLL_MS))
      }
    })()
    ctx.log(`publishing ${total} listings at ${LAG_RATE_PER_SECOND}/s`)
    const started = performance.now()
    try {
      for (let i = 0; i < total; i++) {
        const due = started + (i * 1000) / LAG_RATE_PER_SECOND
        const wait = due - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        const { listing, organizationName } = generateListing(firstListing + i)
        await outbox.transaction().execute((trx) =>
          appendEvent(trx, {
            type: LISTINGS_EVENTS.listingPublished,
            entityId: listing.id,
            version: listing.version,
            payload: {
              listing,
              organization: { id: listing.organizationId, name: organizationName, kind: 'other', verified: false },
            },
          }),
        )
        published.set(listing.id, performance.now())
      }
    } finally {
      // Even when a publication fails, the watcher must end, or the failure would hang the run.
      done = true
      await poller
    }
    return lags
  } finally {
    await app.close()
    await outbox.destroy()
  }
}
