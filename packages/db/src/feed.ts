import { FeedPage, FeedQuery } from '@commons/contracts'
import { type App, badRequest, checkServiceToken } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
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

/**
 * Serves the service's feed to other services at `GET /v1/events?after=&limit=`. Internal: hidden from
 * the public OpenAPI document and open only to callers with the service token (401
 * `invalid_service_token` otherwise).
 */
export function registerFeedRoute<DB>(app: App, opts: FeedRouteOptions<DB>): void {
  // An empty token would compare equal to a missing Authorization header.
  if (!opts.serviceToken) throw new Error('registerFeedRoute needs a non-empty service token')
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
        querystring: FeedQuery,
        response: { 200: FeedPage },
      },
    },
    async (request) => readFeed(opts.db, request.query),
  )
}
