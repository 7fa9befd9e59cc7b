import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { serviceUnavailable } from '@commons/service-kit'
import {
  type Index,
  Meilisearch,
  MeilisearchApiError,
  MeilisearchRequestError,
  type RecordAny,
  type Settings,
} from 'meilisearch'
import { pinyinOf } from './chinese.ts'
import { SYNONYM_GROUPS } from './dictionary.ts'

/** The Meilisearch clients of one app: a short timeout for requests users wait on, a longer one for indexing. */
export interface Meili {
  search: Meilisearch
  indexing: Meilisearch
  /** Live index uids (the prefix applied). */
  listingsIndex: string
  needsIndex: string
  activitiesIndex: string
}

export function createMeili(config: {
  MEILI_URL: string
  MEILI_MASTER_KEY: string
  MEILI_INDEX_PREFIX: string
  MEILI_TIMEOUT_MS: number
}): Meili {
  const host = config.MEILI_URL
  const apiKey = config.MEILI_MASTER_KEY
  // fetch asks for gzip by default: Meilisearch then spends CPU compressing every answer and we spend it
  // inflating, for bytes that only cross a local network.
  const requestInit = { headers: { 'accept-encoding': 'identity' } }
  return {
    search: new IndexCachingMeilisearch({
      host,
      apiKey,
      timeout: config.MEILI_TIMEOUT_MS,
      requestInit,
      httpClient: keepAliveClient(),
    }),
    // Enqueuing answers in milliseconds; a consumer's transaction is open while it enqueues, so a hung
    // Meilisearch must not keep it open for long.
    indexing: new Meilisearch({ host, apiKey, timeout: 15_000, requestInit }),
    listingsIndex: `${config.MEILI_INDEX_PREFIX}listings`,
    needsIndex: `${config.MEILI_INDEX_PREFIX}needs`,
    activitiesIndex: `${config.MEILI_INDEX_PREFIX}activities`,
  }
}

/**
 * A client whose `index(uid)` hands out one Index per uid: building one parses the host URL and builds the
 * request headers again, which every search on the hot path paid for.
 */
class IndexCachingMeilisearch extends Meilisearch {
  readonly #indexes = new Map<string, Index>()

  override index<T extends RecordAny = RecordAny>(indexUid: string): Index<T> {
    let index = this.#indexes.get(indexUid)
    if (!index) {
      index = super.index(indexUid)
      this.#indexes.set(indexUid, index)
    }
    return index as unknown as Index<T>
  }
}

/** A non-2xx answer of Meilisearch seen by {@link keepAliveClient}. */
class MeiliHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code?: string; message?: string } | undefined,
  ) {
    super(body?.message ?? `Meilisearch answered ${status}`)
    this.name = 'MeiliHttpError'
  }
}

/**
 * The HTTP client of the search path: node:http on keep-alive sockets. Searches are the hot path and
 * WHATWG fetch costs about a millisecond of CPU per call here (streams, header objects), which on a small
 * machine is taken from Meilisearch itself. Errors come back wrapped in MeilisearchRequestError by the
 * client library; `guardSearch` unwraps them.
 */
function keepAliveClient() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 })
  return (input: string | URL | Request, init?: RequestInit) =>
    new Promise<unknown>((resolve, reject) => {
      const headers: Record<string, string> = {}
      new Headers(init?.headers).forEach((value, key) => {
        headers[key] = value
      })
      const request = http.request(
        String(input),
        { method: init?.method ?? 'GET', headers, agent, signal: init?.signal ?? undefined },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('error', reject)
          response.on('end', () => {
            try {
              const text = Buffer.concat(chunks).toString('utf8')
              const body = text === '' ? undefined : JSON.parse(text)
              const status = response.statusCode ?? 0
              if (status >= 200 && status < 300) resolve(body)
              else reject(new MeiliHttpError(status, body))
            } catch (error) {
              reject(error)
            }
          })
        },
      )
      request.on('error', reject)
      request.end(typeof init?.body === 'string' ? init.body : undefined)
    })
}

const CHINESE_TEXT = ['title', 'description', 'tags', 'keywords', 'organizationName', 'district', 'city', 'simplified']

/**
 * Settings of the listings index. Typo tolerance: Chinese words (as segmented) are 1-4 characters, below
 * the 5-character threshold, so typos only ever apply to Latin words (pinyin, English names); districts,
 * cities and tags are exact vocabularies where a "typo" match would be a different place or topic.
 * Pinyin comes last among the searched attributes, so a Chinese match outranks a pinyin one.
 */
export const LISTING_SETTINGS: Settings = {
  searchableAttributes: [
    'title',
    'tags',
    'keywords',
    'description',
    'organizationName',
    'district',
    'city',
    'simplified',
    'amenities',
    'pinyin',
    'pinyinInitials',
  ],
  filterableAttributes: [
    'id',
    'kind',
    'district',
    'city',
    'tags',
    'amenities',
    'pricingModel',
    'price',
    'capacity',
    'organizationId',
    'organizationVerified',
    'lat',
    'lng',
    'minNoticeHours',
    'maxAdvanceDays',
    'minDurationMinutes',
    'maxDurationMinutes',
  ],
  // No `_geo`: filterable or sortable, it makes every indexing batch rebuild the geo tree (search/geo.ts).
  sortableAttributes: ['price', 'ratingAverage', 'ratingCount', 'publishedAt', 'popularity'],
  // Reputation after text relevance: among equally relevant listings, better rated and more used first.
  // `lift` (评价优秀, the scorecard's top decile; lost under 整改中) ranks a badge holder ahead of listings
  // that match as well by words, typos, proximity and attribute, but never ahead of a better text match, and
  // never against a sort the user chose.
  rankingRules: [
    'words',
    'typo',
    'proximity',
    'attribute',
    'sort',
    'lift:desc',
    'exactness',
    'ratingAverage:desc',
    'popularity:desc',
  ],
  localizedAttributes: [{ attributePatterns: CHINESE_TEXT, locales: ['cmn'] }],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    // Initials are two to six letters: one typo away from each other, they would match anything.
    disableOnAttributes: ['tags', 'district', 'city', 'pinyinInitials'],
    disableOnNumbers: true,
  },
  synonyms: synonymGroups(SYNONYM_GROUPS),
  faceting: { maxValuesPerFacet: 50, sortFacetValuesBy: { '*': 'count' } },
  // Facet search rebuilds its structures after every indexing batch (~200 ms at 20k documents), which
  // would dominate the publish-to-searchable lag; tag suggestions use the facet distribution instead.
  facetSearch: false,
  pagination: { maxTotalHits: 5000 },
}

export const NEED_SETTINGS: Settings = {
  searchableAttributes: ['title', 'tags', 'description', 'district'],
  filterableAttributes: ['id', 'kind', 'city', 'district', 'attendees', 'budgetAmount', 'windowStart', 'windowEnd'],
  sortableAttributes: ['windowStart'],
  localizedAttributes: [{ attributePatterns: ['title', 'description', 'tags', 'district', 'city'], locales: ['cmn'] }],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnNumbers: true },
}

/**
 * Settings of the activities index: the listings' Chinese text handling (localized attributes, typo rules,
 * synonyms, pinyin last), filters for the activities page and the home page's "this week in my city".
 */
export const ACTIVITY_SETTINGS: Settings = {
  searchableAttributes: [
    'title',
    'keywords',
    'audience',
    'volunteerSkills',
    'description',
    'organizationName',
    'placeTitle',
    'district',
    'city',
    'simplified',
    'pinyin',
    'pinyinInitials',
  ],
  filterableAttributes: [
    'id',
    'city',
    'district',
    'targetGroups',
    'category',
    'hasVolunteerPlaces',
    'organizationId',
    'start',
    'end',
  ],
  sortableAttributes: ['start'],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'lift:desc', 'exactness', 'start:asc'],
  localizedAttributes: [
    {
      attributePatterns: [
        'title',
        'description',
        'keywords',
        'audience',
        'volunteerSkills',
        'organizationName',
        'placeTitle',
        'district',
        'city',
        'simplified',
      ],
      locales: ['cmn'],
    },
  ],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    disableOnAttributes: ['audience', 'district', 'city', 'pinyinInitials'],
    disableOnNumbers: true,
  },
  synonyms: synonymGroups(SYNONYM_GROUPS),
  faceting: { maxValuesPerFacet: 50, sortFacetValuesBy: { '*': 'count' } },
  facetSearch: false,
  pagination: { maxTotalHits: 1000 },
}

/**
 * Every word of a group is a synonym of every other (Meilisearch synonyms are one-way), and so is the
 * pinyin of each Chinese word, so `dangshi jiangzuo` finds what 党史宣讲 finds.
 */
export function synonymGroups(groups: readonly (readonly string[])[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  const add = (group: string[]) => {
    for (const word of group) out[word] = [...new Set([...(out[word] ?? []), ...group.filter((w) => w !== word)])]
  }
  for (const group of groups) {
    add([...group])
    const readings = group
      .flatMap((w) => (/^[\u3400-\u9fff]+$/.test(w) ? [pinyinOf(w)] : []))
      .filter((p) => p !== undefined)
    if (readings.length > 1) add([...new Set(readings)])
  }
  return out
}

/**
 * Turns a failure to reach Meilisearch (down, timed out, answering 5xx, index not built yet) into the 503
 * problem `search_unavailable`; anything else is a bug of ours and stays a 500.
 */
export async function guardSearch<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (isUnavailable(error)) {
      throw serviceUnavailable('search_unavailable', 'Search is unavailable right now; try again shortly.')
    }
    throw error
  }
}

function isUnavailable(error: unknown): boolean {
  const cause = error instanceof MeilisearchRequestError ? error.cause : undefined
  if (cause instanceof MeiliHttpError) return cause.status >= 500 || cause.body?.code === 'index_not_found'
  if (error instanceof MeilisearchApiError) {
    const status = error.response.status
    return status >= 500 || error.cause?.code === 'index_not_found'
  }
  // MeilisearchRequestError (connection refused, reset) and MeilisearchRequestTimeOutError.
  return error instanceof Error && error.name.startsWith('Meilisearch')
}

/** Creates the index when missing and applies its settings; idempotent (Meilisearch skips unchanged settings). */
export async function ensureIndex(client: Meilisearch, uid: string, settings: Settings): Promise<void> {
  try {
    await client.getRawIndex(uid)
  } catch (error) {
    if (!(error instanceof MeilisearchApiError) || error.cause?.code !== 'index_not_found') throw error
    await waitOk(client, await client.createIndex(uid, { primaryKey: 'id' }), true)
  }
  await waitOk(client, await client.index(uid).updateSettings(settings))
}

/**
 * Waits for an enqueued task and throws unless it succeeded (optionally tolerating "already exists").
 * Polls itself, from 10 ms up to every 50 ms: the client's waitForTask adds an abort listener per poll to
 * one signal, which piles up over a long rebuild.
 */
export async function waitOk(
  client: Meilisearch,
  task: { taskUid: number },
  tolerateExists = false,
  timeoutMs = 300_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (let interval = 10; ; interval = Math.min(50, interval * 1.5)) {
    const done = await client.tasks.getTask(task.taskUid)
    if (done.status === 'succeeded') return
    if (done.status !== 'enqueued' && done.status !== 'processing') {
      if (tolerateExists && done.error?.code === 'index_already_exists') return
      throw new Error(`Meilisearch task ${done.uid} (${done.type}) ${done.status}: ${done.error?.message ?? ''}`)
    }
    if (Date.now() > deadline)
      throw new Error(`Meilisearch task ${done.uid} still ${done.status} after ${timeoutMs} ms`)
    await sleep(interval)
  }
}
