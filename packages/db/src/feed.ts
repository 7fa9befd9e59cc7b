import { FeedPage, FeedQuery } from '@commons/contracts'
import { type App, badRequest, checkServiceToken } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import { z } from 'zod'
import { dbOrigin } from './database.ts'
import { FeedNotifier } from './feed-notify.ts'
import type { KitTables } from './tables.ts'

/** A position in a feed: the appending transaction's id and the event's id. */
interface Position {
  tx: string
  id: string
}

const CURSOR = /^(\d{1,20}):(\d{1,19})$/
const MAX_XID8 = 2n ** 64n - 1n
const MAX_INT8 = 2n ** 63n - 1n

function parseCursor(after: string): Position {
  const match = CURSOR.exec(after)
  if (!match || BigInt(match[1]!) > MAX_XID8 || BigInt(match[2]!) > MAX_INT8) {
    throw badRequest(
      '`after` is not a cursor of this feed; pass back a `cursor` or `next` as it came.',
      'invalid_cursor',
    )
  }
  return { tx: match[1]!, id: match[2]! }
}

/** Options of {@link readFeed}. */
export interface ReadFeedQuery {
  /** The cursor to read on from (an event's `cursor` or a page's `next`); absent to read from the start. */
  after?: string | null
  limit: number
}

/**
 * Reads the service's outbox in commit order: the events strictly after `after`, at most `limit` of them.
 * A malformed `after` throws the 400 problem `invalid_cursor`.
 *
 * Why not simply `id > after`: ids (and `tx` values) are handed out when a row is inserted, not when its
 * transaction commits. A transaction that inserted id 7 and commits after the one that inserted id 8 would
 * make event 7 appear behind a reader that already moved past 8, and it would never be delivered. So the
 * feed only hands out rows whose transaction is older than the oldest transaction still running
 * (`tx < pg_snapshot_xmin(pg_current_snapshot())`): each of those has committed or aborted, and every
 * transaction that could still add a row has an id at or above that horizon, so nothing can ever appear
 * behind the cursor (tx, id). Rows of aborted transactions never become visible and do not hold the feed.
 * The price is latency: while any transaction in the cluster that holds an xid stays open, events of
 * newer transactions wait for it, so long transactions must stay rare. xid8 is epoch-extended and never
 * wraps; but a logical dump restored into a new cluster restarts the counter below the stored `tx`
 * values, so after such a restore consumers' cursors must be reset (pg_upgrade keeps the counter).
 */
export async function readFeed<DB>(db: Kysely<DB>, query: ReadFeedQuery): Promise<FeedPage> {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError('limit must be a positive integer')
  const after = query.after == null ? null : parseCursor(query.after)
  let select = (db as unknown as Kysely<KitTables>)
    .selectFrom('events')
    // xid8 has no pg type parser, so `tx` arrives as its decimal text; it is never aliased, which would make
    // `order by tx` sort that text instead of the xid8 column.
    .select(['id', 'tx', 'type', 'entityId', 'version', 'payload', 'occurredAt'])
    .where(sql<boolean>`tx < pg_snapshot_xmin(pg_current_snapshot())`)
  if (after) select = select.where(sql<boolean>`(tx, id) > (${after.tx}::xid8, ${after.id}::bigint)`)
  const rows = await select.orderBy('tx').orderBy('id').limit(query.limit).execute()
  const events = rows.map((row) => ({
    cursor: `${row.tx}:${row.id}`,
    type: row.type,
    entityId: row.entityId,
    version: row.version,
    occurredAt: row.occurredAt.toISOString(),
    payload: row.payload,
  }))
  return { events, next: events.at(-1)?.cursor ?? query.after ?? null }
}

/** Options of {@link registerFeedRoute}. */
export interface FeedRouteOptions<DB> {
  db: Kysely<DB>
  /** The shared service token other services present; the route refuses every other caller. */
  serviceToken: string
}

/** The longest `wait` a reader may ask for: below the usual 30 s idle timeouts of proxies. */
export const MAX_FEED_WAIT_SECONDS = 25

// Hidden from the OpenAPI documents, so `wait` lives here rather than in the public contract.
const FeedRouteQuery = FeedQuery.extend({
  /** Seconds to hold the request while nothing is new, answering as soon as an event commits. */
  wait: z.coerce.number().int().min(0).max(MAX_FEED_WAIT_SECONDS).default(0),
})

// While a notified event is not yet readable (an older transaction elsewhere still runs), look again this often.
const RECHECK_MS = 100

/**
 * Resolves once every committed event of the outbox is on the feed. `readFeed` holds back rows behind any
 * transaction still open in the database, so a consumer drained right after an append can poll, find
 * nothing new, and report itself caught up with the event unapplied; tests that append then drain wait for
 * this first.
 */
export async function allEventsOnFeed<DB>(db: Kysely<DB>, pollMs = 5): Promise<void> {
  const kit = db as unknown as Kysely<KitTables>
  for (;;) {
    const { n } = await kit.selectFrom('events').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    if ((await readFeed(db, { after: null, limit: n + 1 })).events.length >= n) return
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

/**
 * Serves the service's feed to other services at `GET /v1/events?after=&limit=&wait=`. Internal: hidden
 * from the public OpenAPI document and open only to callers with the service token (401
 * `invalid_service_token` otherwise).
 *
 * With `wait` (seconds) an empty answer is held until an event commits (Postgres LISTEN/NOTIFY: appendEvent
 * notifies in its transaction, delivered at commit) or the wait ends, so consumers learn of an event at
 * once without polling. Held requests are answered (empty) when the service closes.
 */
export function registerFeedRoute<DB>(app: App, opts: FeedRouteOptions<DB>): void {
  // An empty token would compare equal to a missing Authorization header.
  if (!opts.serviceToken) throw new Error('registerFeedRoute needs a non-empty service token')
  const origin = dbOrigin(opts.db)
  const notifier = origin
    ? new FeedNotifier(origin, (error) => app.log.warn({ err: error }, 'feed notifications interrupted'))
    : undefined
  // preClose: before Fastify waits for in-flight requests, so held reads answer instead of delaying it.
  app.addHook('preClose', async () => notifier?.close())
  app.get(
    '/v1/events',
    {
      config: { auth: 'service' },
      // Checked before the query is validated, so callers without the token learn nothing about the route.
      onRequest: async (request) => checkServiceToken(request, opts.serviceToken),
      schema: {
        hide: true,
        operationId: 'readEvents',
        tags: ['events'],
        security: [{ serviceToken: [] }],
        querystring: FeedRouteQuery,
        response: { 200: FeedPage },
      },
    },
    async (request, reply) => {
      const { wait, ...query } = request.query
      if (!notifier || wait === 0) return readFeed(opts.db, query)
      // Listening before the first read, and noting the wake-ups seen before each read, so that no commit
      // falls between a read and the wait that follows it.
      await notifier.listen()
      let seen = notifier.generation
      let page = await readFeed(opts.db, query)
      const deadline = Date.now() + wait * 1000
      // Ends the wait when the caller goes away.
      const gone = new AbortController()
      reply.raw.once('close', () => gone.abort())
      let notified = false
      while (page.events.length === 0 && !gone.signal.aborted) {
        const left = deadline - Date.now()
        if (left <= 0) break
        const outcome = await notifier.wait(notified ? Math.min(left, RECHECK_MS) : left, gone.signal, seen)
        if (outcome === 'closed') break
        notified ||= outcome === 'notified'
        seen = notifier.generation
        page = await readFeed(opts.db, query)
        if (outcome === 'timeout' && !notified) break
      }
      return page
    },
  )
}
