import { setTimeout as sleep } from 'node:timers/promises'
import { type FeedEvent, FeedPage } from '@commons/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import { Counter, Gauge, type Registry } from 'prom-client'
import { MAX_FEED_WAIT_SECONDS } from './feed.ts'
import type { KitTables } from './tables.ts'

/**
 * Reads one page of a feed after a cursor (null: from the start). With `waitMs`, a reader that can may hold
 * an empty answer until an event arrives or the time is up (HTTP sources do: `wait` long polling); `signal`
 * aborts the read.
 */
export type FeedReader = (
  after: string | null,
  limit: number,
  poll?: { waitMs: number; signal: AbortSignal },
) => Promise<FeedPage>

/**
 * Where a consumer reads events: another service's `GET /v1/events` with the service token, or a function
 * (tests, or a feed in the same process).
 */
export type FeedSource = { url: string; token: string; timeoutMs?: number } | FeedReader

/** The subset of a pino logger the consumer uses. */
export interface ConsumerLog {
  info(obj: Record<string, unknown>, msg: string): void
  warn(obj: Record<string, unknown>, msg: string): void
  debug?(obj: Record<string, unknown>, msg: string): void
  error(obj: Record<string, unknown>, msg: string): void
}

interface ConsumerBaseOptions<DB> {
  /** The consumer's own database; its schema holds `feed_cursors` (see `migrateToLatest`). */
  db: Kysely<DB>
  /** The consumer's id, unique per feed it reads, e.g. `discovery.listings`; names its cursor and lock. */
  name: string
  source: FeedSource
  /** Events per batch (default 200). */
  batchSize?: number
  /**
   * Pause after a poll found nothing new, or while another replica holds the feed (default 500 ms). A long
   * poll that returns empty sooner than this is followed by the rest of the pause.
   */
  pollIntervalMs?: number
  /**
   * How long a poll may wait at the source for the next event (default 20 000 ms for HTTP sources, which
   * the feed route answers as soon as an event commits; 0 for function sources). Bounded by the route's
   * 25 s limit.
   */
  longPollMs?: number
  /** Backoff after a failed batch: doubles from `minMs` (default 200) up to `maxMs` (default 30 000), jittered. */
  retry?: { minMs?: number; maxMs?: number }
  /** Where `feed_lag_seconds`, `feed_events_applied_total` and `feed_errors_total` go (label `consumer`). */
  registry?: Registry
  log?: ConsumerLog
}

/** Effects in the consumer's own database: each event is applied in the batch's transaction. */
interface HandleOptions<DB> {
  handle: (trx: Transaction<DB>, event: FeedEvent) => Promise<void>
  handleBatch?: never
}

/** An external effect (e.g. a Meilisearch task); the cursor is stored once it resolved. */
interface HandleBatchOptions {
  handleBatch: (events: FeedEvent[]) => Promise<void>
  handle?: never
}

/** Options of {@link startConsumer}: exactly one of `handle` or `handleBatch`. */
export type ConsumerOptions<DB> = ConsumerBaseOptions<DB> & (HandleOptions<DB> | HandleBatchOptions)

/** A running consumer. */
export interface ConsumerHandle {
  /** Stops polling, aborts a pending fetch or pause, and resolves once the in-flight batch has finished. */
  stop(): Promise<void>
  /**
   * Wakes the consumer and resolves once a poll that started after this call found nothing new (caught up).
   * Rejects if the consumer is stopped first. Meant for tests and scripts.
   */
  drain(): Promise<void>
  /** Seconds behind the feed, as the `feed_lag_seconds` gauge reports it. */
  lag(): number
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_LONG_POLL_MS = 20_000
// Two-key advisory locks: apart from kysely's one-key migration lock and from migrateToLatest's.
const CONSUMER_LOCK_NAMESPACE = 0x66656564 // 'feed'

/**
 * Starts the feed consumer every service uses, and returns at once; the loop runs until `stop()`.
 *
 * Each batch reads the stored cursor and fetches the next page with no transaction open, then applies the
 * page under the advisory lock of the consumer's name (so one replica applies a feed at a time; the others
 * wait `pollIntervalMs` and try again), provided the stored cursor is still the one the page was read
 * from, and stores the new cursor. With `handle` the effects commit in one short transaction with the
 * cursor; with `handleBatch` the cursor is stored after the external effect succeeded.
 *
 * Delivery is at least once: a crash after an effect but before the cursor commits (always possible with
 * `handleBatch`; with `handle` when the handler has effects outside the transaction) replays the batch.
 * Handlers must therefore be idempotent, e.g. by ignoring an event whose `version` is not newer than the
 * entity's stored version.
 *
 * A failing batch (feed unreachable, handler throws) rolls back, is logged and counted, and is retried
 * with exponential backoff and jitter; the cursor never moves past an event whose effect did not commit,
 * so an event that always fails stops the consumer at that event (visible as growing lag and errors).
 *
 * `feed_lag_seconds{consumer}`: 0 when the last poll found nothing new. While events are pending it is
 * the age (now − `occurredAt`) of the newest event applied, or, while a batch keeps failing, the age of
 * the oldest event of that batch, so it grows while the consumer is stuck. 0 until the first poll.
 */
export function startConsumer<DB>(opts: ConsumerOptions<DB>): ConsumerHandle {
  const db = opts.db as unknown as Kysely<KitTables>
  const batchSize = opts.batchSize ?? 200
  const pollIntervalMs = opts.pollIntervalMs ?? 500
  const minBackoffMs = opts.retry?.minMs ?? 200
  const maxBackoffMs = opts.retry?.maxMs ?? 30_000
  const stopping = new AbortController()
  const read = typeof opts.source === 'function' ? opts.source : httpReader(opts.source)
  const longPollMs = opts.longPollMs ?? (typeof opts.source === 'function' ? 0 : DEFAULT_LONG_POLL_MS)
  // Aborts the poll in flight: drain() wants an answer now, stop() wants none.
  let pollAbort = new AbortController()
  const metrics = opts.registry ? consumerMetrics(opts.registry, opts.name) : undefined
  const logFields = { consumer: opts.name }

  let behindSince: Date | null = null
  let pollsStarted = 0
  let idleWake: AbortController | null = null
  // Set by drain() while a poll is in flight, so the pause after it is skipped.
  let wakeRequested = false
  const drains: Array<{ afterPoll: number; resolve: () => void; reject: (error: Error) => void }> = []

  const lag = () => (behindSince ? Math.max(0, (Date.now() - behindSince.getTime()) / 1000) : 0)
  const reportLag = () => metrics?.lag.set(logFields, lag())

  const readCursor = async (q: Kysely<KitTables> | Transaction<KitTables>) =>
    (await q.selectFrom('feedCursors').select('position').where('consumer', '=', opts.name).executeTakeFirst())
      ?.position ?? null

  const storeCursor = (q: Kysely<KitTables> | Transaction<KitTables>, position: string) =>
    q
      .insertInto('feedCursors')
      .values({ consumer: opts.name, position })
      .onConflict((oc) => oc.column('consumer').doUpdateSet({ position, updatedAt: sql<Date>`now()` }))
      .execute()

  /**
   * Applies a fetched page under the consumer's advisory lock, if the cursor it was read from is still the
   * stored one: 'locked' when another replica holds the feed, 'moved' when one applied this page meanwhile.
   */
  const applyPage = async (from: string | null, page: FeedPage): Promise<'applied' | 'locked' | 'moved'> => {
    const last = page.events.at(-1)!
    const position = page.next ?? last.cursor
    const lockKey = sql`${CONSUMER_LOCK_NAMESPACE}, hashtext(${opts.name})`
    if (opts.handle) {
      const handle = opts.handle
      // Short: only this database's statements run while it is open, never a network call.
      return db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${lockKey}) as locked`.execute(
          trx,
        )
        if (!rows[0]?.locked) return 'locked'
        if ((await readCursor(trx)) !== from) return 'moved'
        for (const event of page.events) await handle(trx as unknown as Transaction<DB>, event)
        await storeCursor(trx, position)
        return 'applied'
      })
    }
    // The external effect (a search index task) runs with no transaction open; a session lock on one
    // connection keeps other replicas out meanwhile, and goes with the session if that connection drops.
    const handleBatch = opts.handleBatch!
    return db.connection().execute(async (conn) => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${lockKey}) as locked`.execute(conn)
      if (!rows[0]?.locked) return 'locked'
      try {
        if ((await readCursor(conn)) !== from) return 'moved'
        await handleBatch(page.events)
        await storeCursor(conn, position)
        return 'applied'
      } finally {
        await sql`select pg_advisory_unlock(${lockKey})`.execute(conn).catch(() => {})
      }
    })
  }

  /**
   * One batch: reads the stored cursor, fetches the next page with no transaction open (the fetch is a
   * network call of unbounded length, and an open transaction would pin a connection and hold back every
   * feed's commit horizon meanwhile), then applies it. [] when nothing is new.
   */
  const runBatch = async (onFetched: (events: FeedEvent[]) => void): Promise<FeedEvent[] | 'locked' | 'moved'> => {
    const from = await readCursor(db)
    pollAbort = new AbortController()
    const waitMs = wakeRequested || drains.length > 0 ? 0 : longPollMs
    const page = await read(from, batchSize, { waitMs, signal: AbortSignal.any([stopping.signal, pollAbort.signal]) })
    if (page.events.length === 0) return []
    onFetched(page.events)
    const outcome = await applyPage(from, page)
    return outcome === 'applied' ? page.events : outcome
  }

  const loop = async () => {
    let failures = 0
    // When the first of a run of failures happened, and whether it was worth a warning yet: a source that
    // is still starting (every service starts at once) answers within seconds, and says nothing then.
    let failingSince = 0
    let warned = false
    opts.log?.info(logFields, 'feed consumer started')
    while (!stopping.signal.aborted) {
      const poll = ++pollsStarted
      wakeRequested = false
      let fetched: FeedEvent[] = []
      let pauseMs = 0
      let idle = false
      const pollStartedAt = Date.now()
      try {
        const outcome = await runBatch((events) => {
          fetched = events
        })
        if (warned) opts.log?.info({ ...logFields, failures }, 'feed consumer recovered')
        failures = 0
        warned = false
        if (outcome === 'moved') {
          // Another replica applied this page between the fetch and the lock: read on from its cursor.
        } else if (outcome === 'locked') {
          // Jittered so waiting replicas do not poll in step.
          pauseMs = pollIntervalMs * (0.5 + Math.random())
          idle = true
        } else if (outcome.length === 0) {
          behindSince = null
          for (const waiter of drains.filter((d) => d.afterPoll < poll)) {
            drains.splice(drains.indexOf(waiter), 1)
            waiter.resolve()
          }
          // After a long poll, only what is left of the interval: the wait at the source was the pause.
          pauseMs = Math.max(0, pollIntervalMs - (Date.now() - pollStartedAt))
          idle = true
        } else {
          behindSince = new Date(outcome.at(-1)!.occurredAt)
          metrics?.applied.inc(logFields, outcome.length)
        }
      } catch (error) {
        if (stopping.signal.aborted) break
        // drain() cut a long poll short: poll again at once, without a wait.
        if (pollAbort.signal.aborted && (error as Error).name === 'AbortError') continue
        failures += 1
        if (failures === 1) failingSince = Date.now()
        metrics?.errors.inc(logFields)
        const oldestPending = fetched[0]
        if (oldestPending) behindSince = new Date(oldestPending.occurredAt)
        pauseMs = backoff(failures, minBackoffMs, maxBackoffMs)
        const persistent = Date.now() - failingSince >= QUIET_FAILURE_MS
        warned ||= persistent
        const fields = { ...logFields, err: error, failures, retryInMs: Math.round(pauseMs) }
        if (persistent) opts.log?.warn(fields, 'feed consumer batch failed; retrying')
        else opts.log?.debug?.(fields, 'feed consumer batch failed; retrying')
      }
      reportLag()
      if (idle && wakeRequested) pauseMs = 0
      if (pauseMs > 0) {
        // Only an idle pause may be cut short by drain(); a backoff always runs its course.
        idleWake = idle ? new AbortController() : null
        const signal = idleWake ? AbortSignal.any([stopping.signal, idleWake.signal]) : stopping.signal
        await sleep(pauseMs, undefined, { signal }).catch(() => {})
        idleWake = null
      }
    }
    for (const waiter of drains.splice(0)) waiter.reject(new Error(`feed consumer ${opts.name} stopped`))
    opts.log?.info(logFields, 'feed consumer stopped')
  }
  const running = loop().catch((error: unknown) => {
    // Unreachable in practice (every batch error is caught); logged rather than crashing the process.
    opts.log?.error({ ...logFields, err: error }, 'feed consumer loop crashed')
  })

  return {
    async stop() {
      stopping.abort()
      await running
    },
    drain() {
      if (stopping.signal.aborted) return Promise.reject(new Error(`feed consumer ${opts.name} stopped`))
      return new Promise<void>((resolve, reject) => {
        drains.push({ afterPoll: pollsStarted, resolve, reject })
        wakeRequested = true
        idleWake?.abort()
        pollAbort.abort()
      })
    },
    lag,
  }
}

/** Exponential backoff with "equal jitter": half the step is fixed, half random. */
/** How long a source may fail before it is worth a warning (a service still starting answers sooner). */
const QUIET_FAILURE_MS = 10_000

function backoff(failures: number, minMs: number, maxMs: number): number {
  const step = Math.min(maxMs, minMs * 2 ** (failures - 1))
  return step / 2 + (Math.random() * step) / 2
}

function httpReader(source: { url: string; token: string; timeoutMs?: number }): FeedReader {
  const base = source.url.replace(/\/+$/, '')
  return async (after, limit, poll) => {
    const query = new URLSearchParams({ limit: String(limit) })
    if (after !== null) query.set('after', after)
    const waitSeconds = Math.min(MAX_FEED_WAIT_SECONDS, Math.floor((poll?.waitMs ?? 0) / 1000))
    if (waitSeconds > 0) query.set('wait', String(waitSeconds))
    const timeout = AbortSignal.timeout((source.timeoutMs ?? DEFAULT_TIMEOUT_MS) + waitSeconds * 1000)
    const response = await fetch(`${base}/v1/events?${query}`, {
      headers: { authorization: `Bearer ${source.token}`, accept: 'application/json' },
      signal: poll ? AbortSignal.any([poll.signal, timeout]) : timeout,
    })
    if (!response.ok) {
      const body = await response.text().catch(() => '')
      throw new Error(`GET ${base}/v1/events answered ${response.status}: ${body.slice(0, 300)}`)
    }
    return FeedPage.parse(await response.json())
  }
}

type Labels = 'consumer'

/** The consumer metrics, shared by every consumer registered on the same registry (told apart by label). */
function consumerMetrics(registry: Registry, name: string) {
  const existing = <T>(metric: string) => registry.getSingleMetric(metric) as T | undefined
  const lag =
    existing<Gauge<Labels>>('feed_lag_seconds') ??
    new Gauge({
      name: 'feed_lag_seconds',
      help: 'Age of the newest event applied while events are pending (0 when caught up)',
      labelNames: ['consumer'],
      registers: [registry],
    })
  const applied =
    existing<Counter<Labels>>('feed_events_applied_total') ??
    new Counter({
      name: 'feed_events_applied_total',
      help: 'Feed events whose effect committed',
      labelNames: ['consumer'],
      registers: [registry],
    })
  const errors =
    existing<Counter<Labels>>('feed_errors_total') ??
    new Counter({
      name: 'feed_errors_total',
      help: 'Failed feed batches (feed unreachable or handler failed), each retried',
      labelNames: ['consumer'],
      registers: [registry],
    })
  // Start every series at 0 so dashboards and alerts see the consumer before its first event.
  lag.set({ consumer: name }, 0)
  applied.inc({ consumer: name }, 0)
  errors.inc({ consumer: name }, 0)
  return { lag, applied, errors }
}
