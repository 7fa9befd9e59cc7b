import { randomBytes } from 'node:crypto'
import { Listing } from '@commons/contracts'
import { createDb, newId, readFeed } from '@commons/db'
import type { App } from '@commons/service-kit'
import { parseConfig } from '@commons/service-kit'
import type { BenchContext } from '@commons/testkit'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { buildApp } from '../../src/app.ts'
import { DiscoveryConfig } from '../../src/config.ts'
import type { DB } from '../../src/db/schema.ts'
import type { ListingDocument } from '../../src/indexing/documents.ts'
import { claimReindex, runReindex } from '../../src/indexing/reindex.ts'
import { listingDocuments } from '../../src/indexing/repository.ts'
import { createMeili, waitOk } from '../../src/search/meili.ts'
import { prepareDatabase } from '../../test/helpers.ts'

/**
 * How many listings the discovery benchmarks index: 100 000 as the issue asks, or `BENCH_LISTINGS` for a
 * quicker run on a small machine (the figures then say what size they were measured at).
 */
export function corpusSize(): number {
  const n = Number(process.env.BENCH_LISTINGS ?? 100_000)
  return Number.isInteger(n) && n > 0 ? n : 100_000
}

const PLACES = [
  '浦东新区',
  '黄浦区',
  '徐汇区',
  '静安区',
  '长宁区',
  '普陀区',
  '虹口区',
  '杨浦区',
  '闵行区',
  '宝山区',
  '嘉定区',
  '松江区',
]
const ORGS = ['街道党群服务中心', '总工会', '团委', '妇联', '居委会', '社会组织服务中心', '科技园企业联合会', '文化馆']
const VENUES = ['会议室', '活动室', '多功能厅', '报告厅', '培训室', '会场', '阅览室', '排练厅', '篮球场', '共享厨房']
const TOPICS = ['法律咨询', '心理咨询', '财务培训', '消防安全讲座', '党史宣讲', '亲子阅读', '职业规划', '反诈宣传']
const SKILLS = ['摄影', '翻译', '编程', '急救', '书法', '手工', '维修', '陪伴老人']
const ADJ = ['宽敞', '明亮', '安静', '温馨', '现代化', '免费开放的', '临江', '新装修的']
const AMENITIES = [
  'projector',
  'wifi',
  'whiteboard',
  'sound_system',
  'air_conditioning',
  'parking',
  'accessible',
  'kitchen',
]

/** A deterministic pseudo-random generator, so every run indexes the same corpus. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** The i-th generated listing (Chinese titles, three kinds, around Shanghai). */
export function generateListing(i: number, random = rng(i + 1)): { listing: Listing; organizationName: string } {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
  const district = pick(PLACES)
  const orgName = `${district}${pick(ORGS)}`
  const now = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()
  const allDay = [{ start: '08:00', end: '22:00' }]
  const roll = random()
  const kind = roll < 0.6 ? 'venue' : roll < 0.85 ? 'expertise' : 'volunteer_time'
  const subject = kind === 'venue' ? pick(VENUES) : kind === 'expertise' ? pick(TOPICS) : `${pick(SKILLS)}志愿服务`
  const fee = random() < 0.4
  const base: Record<string, unknown> = {
    id: newId(Date.UTC(2026, 0, 1) + i),
    organizationId: newId(Date.UTC(2025, 0, 1) + Math.floor(i / 5)),
    status: 'published',
    version: 1,
    rejectionReason: null,
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
    kind,
    title: `${district}${pick(ADJ)}${subject}${i}`,
    description: `${orgName}提供的${subject}，欢迎社区群众和各类组织预约使用。${pick(ADJ)}，交通便利。`,
    tags: [subject.slice(0, 4), pick(['党建', '公益', '文化', '教育', '养老', '青年'])],
    location: {
      city: '上海',
      district,
      address: `${district}某路${i % 999}号`,
      lat: 31.05 + random() * 0.4,
      lng: 121.2 + random() * 0.5,
    },
    pricing: fee
      ? { model: 'fee', unit: 'hour', price: { amount: 1000 * (1 + Math.floor(random() * 30)), currency: 'CNY' } }
      : { model: 'free' },
    rules: { minNoticeHours: 0 },
    availability: {
      timezone: 'Asia/Shanghai',
      weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay },
    },
  }
  if (kind === 'venue') {
    base.capacity = 10 + Math.floor(random() * 300)
    base.amenities = AMENITIES.filter(() => random() < 0.4)
  } else if (kind === 'expertise') {
    base.topics = [subject]
    base.formats = ['talk']
    base.delivery = 'onsite'
  } else {
    base.skills = [subject.slice(0, 2)]
  }
  return { listing: Listing.parse(base), organizationName: orgName }
}

export interface Corpus {
  databaseUrl: string
  size: number
  env: Record<string, string>
  /** Seconds the first full build of the index took. */
  buildSeconds: number
}

// Rows per insert when writing the corpus, and documents per addDocuments when growing its index.
const WRITE_BATCH = 1000
const ADD_BATCH = 5000

// The benchmarks run one after another in one process: those on `corpusSize()` listings share that corpus,
// built once.
let shared: Promise<Corpus> | undefined

/** Listing `i` of the corpus as discovery's listing replica stores it, published, with its organization. */
export function listingRow(i: number) {
  const { listing, organizationName } = generateListing(i)
  return {
    organizationId: listing.organizationId,
    organizationName,
    values: {
      id: listing.id,
      version: 1,
      published: true,
      organizationId: listing.organizationId,
      snapshot: JSON.stringify(listing),
      organization: JSON.stringify({
        id: listing.organizationId,
        name: organizationName,
        kind: 'other',
        verified: i % 3 === 0,
      }),
    },
  }
}

/**
 * A discovery database holding `corpusSize()` published listings (written straight to discovery's table,
 * as the listings consumer would leave it) and a live index built from it by the service's reindex.
 */
export function corpus(ctx: BenchContext): Promise<Corpus> {
  shared ??= createCorpus(ctx, corpusSize())
  return shared
}

/**
 * A corpus of its own (new database, new index prefix) of `size` listings, for a benchmark that changes
 * it, e.g. grows it with {@link growCorpus}; the shared {@link corpus} stays as the others expect it.
 */
export async function createCorpus(ctx: BenchContext, size: number): Promise<Corpus> {
  const suffix = randomBytes(4).toString('hex')
  const name = `bench_discovery_${suffix}`
  const admin = new pg.Client({ connectionString: ctx.databaseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(ctx.databaseUrl)
  url.pathname = `/${name}`
  const databaseUrl = url.toString()
  await prepareDatabase(databaseUrl)

  ctx.log(`writing ${size} listings to Postgres`)
  const db = createDb<DB>({ url: databaseUrl, schema: 'discovery', poolMax: 4 })
  try {
    for (let start = 0; start < size; start += WRITE_BATCH)
      await writeListings(db, start, Math.min(size, start + WRITE_BATCH))
    const env: Record<string, string> = {
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      SERVICE_TOKEN: 'b'.repeat(40),
      MEILI_URL: ctx.meiliUrl,
      MEILI_MASTER_KEY: ctx.meiliKey,
      MEILI_INDEX_PREFIX: `bench_${suffix}_`,
      RATE_LIMIT_MAX: '100000000',
      RUN_WORKERS: 'false',
      // Under 32 connections on a small machine a search may queue for seconds; the bench measures that.
      MEILI_TIMEOUT_MS: '30000',
    }
    const meili = createMeili(parseConfig(DiscoveryConfig, env))
    ctx.log('building the index (reindex)')
    const started = performance.now()
    await reindex(db, meili)
    const buildSeconds = (performance.now() - started) / 1000
    ctx.log(`index built in ${buildSeconds.toFixed(1)} s`)
    return { databaseUrl, size, env, buildSeconds }
  } finally {
    await db.destroy()
  }
}

/** Writes listings `from` .. `to - 1` of the corpus to discovery's listing table; returns their ids. */
async function writeListings(db: Kysely<DB>, from: number, to: number): Promise<string[]> {
  const rows = []
  for (let i = from; i < to; i++) rows.push(listingRow(i).values)
  await db.insertInto('listings').values(rows).execute()
  return rows.map((row) => row.id)
}

/**
 * Grows a corpus to `size` listings: writes listings `c.size` .. `size - 1` to Postgres and adds their
 * documents, built by the service's own document query, to the live index in batches, without a rebuild.
 * Returns the grown corpus; `c` itself is left as it was.
 */
export async function growCorpus(ctx: BenchContext, c: Corpus, size: number): Promise<Corpus> {
  if (size <= c.size) return c
  ctx.log(`growing the corpus from ${c.size} to ${size} listings`)
  const db = createDb<DB>({ url: c.databaseUrl, schema: 'discovery', poolMax: 4 })
  const meili = createMeili(parseConfig(DiscoveryConfig, c.env))
  try {
    const index = meili.indexing.index(meili.listingsIndex)
    const tasks = []
    let docs: ListingDocument[] = []
    for (let start = c.size; start < size; start += WRITE_BATCH) {
      const ids = await writeListings(db, start, Math.min(size, start + WRITE_BATCH))
      docs.push(...(await listingDocuments(db, { ids })).docs)
      if (docs.length >= ADD_BATCH || start + WRITE_BATCH >= size) {
        tasks.push(await index.addDocuments(docs, { primaryKey: 'id' }))
        docs = []
      }
    }
    for (const task of tasks) await waitOk(meili.indexing, task)
    return { ...c, size }
  } finally {
    await db.destroy()
  }
}

/** Runs a full reindex to the end (swap included). */
export async function reindex(db: ReturnType<typeof createDb<DB>>, meili: ReturnType<typeof createMeili>) {
  const claimed = await claimReindex(db, meili)
  const errors: unknown[] = []
  await runReindex(db, meili, claimed, { info: () => {}, error: (obj) => errors.push(obj) })
  if (errors.length) throw new Error(`reindex failed: ${JSON.stringify(errors[0])}`)
}

/** The discovery app on the corpus, listening on a free port; feeds read from the database's outboxes. */
export async function startDiscovery(c: Corpus, env: Record<string, string> = {}): Promise<{ app: App; url: string }> {
  const config = parseConfig(DiscoveryConfig, { ...c.env, ...env })
  const listings = createDb({ url: c.databaseUrl, schema: 'listings', poolMax: 2 })
  const bookings = createDb({ url: c.databaseUrl, schema: 'bookings', poolMax: 2 })
  // Every feed discovery reads must have a source: a consumer left pointing at an absent service never
  // catches up, and the lag bench's drain would wait for it forever.
  const community = createDb({ url: c.databaseUrl, schema: 'community', poolMax: 2 })
  const app = await buildApp(config, {
    feeds: {
      listings: (after, limit) => readFeed(listings, { after, limit }),
      bookings: (after, limit) => readFeed(bookings, { after, limit }),
      community: (after, limit) => readFeed(community, { after, limit }),
    },
  })
  app.addHook('onClose', async () => {
    await Promise.all([listings.destroy(), bookings.destroy(), community.destroy()])
  })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, url: address }
}
