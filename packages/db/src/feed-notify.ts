import pg from 'pg'
import type { DbOrigin } from './database.ts'
import { FEED_CHANNEL } from './outbox.ts'

const RECONNECT_PAUSE_MS = 1000

/**
 * Wakes long-polling feed readers when an event of `schema` commits: one LISTEN connection per process,
 * opened on first use, reopened after it drops. While it is down, waits simply run to their timeout, so a
 * reader falls back to polling at the wait's length and never misses an event (the feed is re-read after
 * every wait anyway).
 */
export class FeedNotifier {
  private client: pg.Client | null = null
  private connecting: Promise<void> | null = null
  private retryAfter = 0
  private closed = false
  private readonly waiters = new Set<() => void>()
  private readonly enders = new Set<() => void>()
  /**
   * Counts wake-ups. A reader notes it before reading the feed and passes it to {@link wait}, so a commit
   * announced between its read and its wait is not lost.
   */
  generation = 0

  constructor(
    private readonly origin: DbOrigin,
    private readonly onError?: (error: Error) => void,
  ) {}

  /**
   * Resolves with 'notified' when an event of the schema commits, 'timeout' after `ms` or on abort, and
   * 'closed' once the notifier is closed.
   */
  async wait(ms: number, signal?: AbortSignal, since?: number): Promise<'notified' | 'timeout' | 'closed'> {
    if (this.closed) return 'closed'
    if (signal?.aborted) return 'timeout'
    await this.listen()
    if (this.closed) return 'closed'
    if (since !== undefined && since !== this.generation) return 'notified'
    return new Promise((resolve) => {
      const done = (outcome: 'notified' | 'timeout' | 'closed') => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        this.waiters.delete(wake)
        this.enders.delete(end)
        resolve(outcome)
      }
      const wake = () => done('notified')
      const end = () => done('closed')
      const onAbort = () => done('timeout')
      const timer = setTimeout(() => done('timeout'), ms)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.add(wake)
      this.enders.add(end)
    })
  }

  /** Ends every wait ('closed', so readers answer at once) and the LISTEN connection. */
  async close(): Promise<void> {
    this.closed = true
    for (const end of [...this.enders]) end()
    const client = this.client
    this.client = null
    await client?.end().catch(() => {})
  }

  private wakeAll() {
    this.generation += 1
    for (const wake of [...this.waiters]) wake()
  }

  /** Opens the LISTEN connection unless it is open (or failed less than a second ago). */
  listen(): Promise<void> {
    if (this.client || this.closed || Date.now() < this.retryAfter) return Promise.resolve()
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null
    })
    return this.connecting
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.origin.url,
      application_name: this.origin.applicationName && `${this.origin.applicationName}-feed`,
      connectionTimeoutMillis: 5000,
    })
    const drop = (error?: Error) => {
      if (error) this.onError?.(error)
      if (this.client === client) this.client = null
      // Whatever committed while the connection was down was not announced: let readers look now.
      this.wakeAll()
    }
    client.on('error', drop)
    client.on('end', () => drop())
    client.on('notification', (message) => {
      if (message.channel === FEED_CHANNEL && message.payload === this.origin.schema) this.wakeAll()
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${client.escapeIdentifier(FEED_CHANNEL)}`)
      if (this.closed) {
        await client.end()
        return
      }
      this.client = client
    } catch (error) {
      this.retryAfter = Date.now() + RECONNECT_PAUSE_MS
      this.onError?.(error as Error)
      await client.end().catch(() => {})
    }
  }
}
