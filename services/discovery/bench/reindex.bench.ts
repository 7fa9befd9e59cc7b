import { createDb } from '@commons/db'
import { parseConfig } from '@commons/service-kit'
import type { Benchmark } from '@commons/testkit'
import { DiscoveryConfig } from '../src/config.ts'
import type { DB } from '../src/db/schema.ts'
import type { ListingDocument } from '../src/indexing/documents.ts'
import { listingDocuments } from '../src/indexing/repository.ts'
import { createMeili, ensureIndex, LISTING_SETTINGS, waitOk } from '../src/search/meili.ts'
import { corpus, reindex } from './lib/corpus.ts'

const BATCH = 5000

/**
 * A full reindex through the service (read Postgres, build documents, new index, swap) vs. raw
 * addDocuments of the same documents into a fresh index with the same settings.
 */
const bench: Benchmark = async (ctx) => {
  const c = await corpus(ctx)
  const db = createDb<DB>({ url: c.databaseUrl, schema: 'discovery', poolMax: 4 })
  const meili = createMeili(parseConfig(DiscoveryConfig, c.env))
  try {
    ctx.log('reading the documents for the raw upload')
    const docs: ListingDocument[] = []
    for (let after: string | null = null; ; ) {
      const page: Awaited<ReturnType<typeof listingDocuments>> = await listingDocuments(db, { after, limit: BATCH })
      if (page.lastId === null) break
      docs.push(...page.docs)
      after = page.lastId
    }
    const rawUid = `${c.env.MEILI_INDEX_PREFIX}raw`
    await meili.indexing.deleteIndexIfExists(rawUid)
    await ensureIndex(meili.indexing, rawUid, LISTING_SETTINGS)

    ctx.log(`raw addDocuments of ${docs.length} documents`)
    const rawStarted = performance.now()
    const tasks = []
    for (let i = 0; i < docs.length; i += BATCH) {
      tasks.push(await meili.indexing.index(rawUid).addDocuments(docs.slice(i, i + BATCH), { primaryKey: 'id' }))
    }
    for (const task of tasks) await waitOk(meili.indexing, task)
    const rawSeconds = (performance.now() - rawStarted) / 1000
    await waitOk(meili.indexing, await meili.indexing.deleteIndex(rawUid))

    ctx.log('full reindex through the service')
    const started = performance.now()
    await reindex(db, meili)
    const reindexSeconds = (performance.now() - started) / 1000
    const ratio = reindexSeconds / rawSeconds
    return {
      name: 'discovery full reindex vs raw addDocuments',
      metrics: [
        { metric: 'reindex', value: reindexSeconds, unit: 's' },
        { metric: 'raw addDocuments', value: rawSeconds, unit: 's' },
        { metric: 'documents', value: docs.length, unit: 'docs' },
        { metric: 'first build (corpus setup)', value: c.buildSeconds, unit: 's' },
      ],
      ratios: [{ name: 'reindex / raw', value: ratio, target: '<= 1.5', pass: ratio <= 1.5 }],
      details: { listings: c.size, batch: BATCH },
    }
  } finally {
    await db.destroy()
  }
}
export default bench
