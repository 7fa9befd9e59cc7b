import { LISTINGS_EVENTS } from '@commons/contracts'
import { appendEvent, createDb, type KitTables } from '@commons/db'
import { type Benchmark, percentile } from '@commons/testkit'
import { Meilisearch } from 'meilisearch'
import { anyOf } from '../src/search/filters.ts'
import { corpus, corpusSize, generateListing, startDiscovery } from './lib/corpus.ts'

const RATE_PER_SECOND = 20
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 15)
const POLL_MS = 10

/**
 * Lag from a listing's publication (its event committed to the listings outbox) to the listing being
 * searchable, at a steady 20 publications per second, through the real consumer.
 */
const bench: Benchmark = async (ctx) => {
  const c = await corpus(ctx)
  const { app } = await startDiscovery(c, { RUN_WORKERS: 'true', FEED_POLL_INTERVAL_MS: '50' })
  const outbox = createDb<KitTables>({ url: c.databaseUrl, schema: 'listings', poolMax: 4 })
  const client = new Meilisearch({ host: ctx.meiliUrl, apiKey: ctx.meiliKey })
  const index = client.index(`${c.env.MEILI_INDEX_PREFIX}listings`)
  try {
    await app.indexWorkers!.drain()
    const total = RATE_PER_SECOND * DURATION_SECONDS
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
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
    })()
    ctx.log(`publishing ${total} listings at ${RATE_PER_SECOND}/s`)
    const started = performance.now()
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE_PER_SECOND
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      const { listing, organizationName } = generateListing(corpusSize() + i)
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
    done = true
    await poller
    const p50 = percentile(lags, 50)
    const p99 = percentile(lags, 99)
    return {
      name: 'discovery indexing lag (publish -> searchable)',
      metrics: [
        { metric: 'lag p50', value: Math.round(p50), unit: 'ms' },
        { metric: 'lag p99', value: Math.round(p99), unit: 'ms' },
        { metric: 'lag max', value: Math.round(Math.max(...lags)), unit: 'ms' },
        { metric: 'publications', value: lags.length, unit: 'listings' },
      ],
      ratios: [{ name: 'p99 lag / 1 s', value: p99 / 1000, target: '< 1', pass: p99 < 1000 }],
      details: { listings: c.size, ratePerSecond: RATE_PER_SECOND, durationSeconds: DURATION_SECONDS, pollMs: POLL_MS },
    }
  } finally {
    await app.close()
    await outbox.destroy()
  }
}
export default bench
