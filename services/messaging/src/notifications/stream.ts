import type { Actor } from '@commons/contracts'
import { type DbOrigin, dbOrigin } from '@commons/db'
import { requireActor, unauthorized } from '@commons/service-kit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import pg from 'pg'
import type { MessagingDeps } from '../deps.ts'
import { latestUnread } from './notifications.repository.ts'
import { toNotificationDto, unreadCount } from './notifications.service.ts'
import { NOTIFICATIONS_CHANNEL, preferencesOf } from './notify.ts'

const TICKET_PURPOSE = 'stream-ticket'
const RECONNECT_PAUSE_MS = 1000
/** Unread notifications a stream compares against what it sent (a burst beyond this arrives as the count). */
const RECENT = 100

/**
 * `POST /v1/notifications/stream-ticket`: EventSource cannot send an Authorization header, and an access
 * token in a URL ends up in logs and history. The page trades its token for a ticket that is good for
 * `STREAM_TICKET_TTL_SECONDS` and names only the user, and opens the stream with `?ticket=`.
 */
export function issueStreamTicket(deps: Pick<MessagingDeps, 'signer' | 'clock' | 'config'>, actor: Actor) {
  const expiresAt = new Date(deps.clock.now().getTime() + deps.config.STREAM_TICKET_TTL_SECONDS * 1000)
  return {
    ticket: deps.signer.sign(TICKET_PURPOSE, { u: actor.userId, e: expiresAt.getTime() }),
    expiresAt: expiresAt.toISOString(),
  }
}

/** The user a stream request speaks for: a valid ticket, or else a bearer token (non-browser clients). */
function streamUser(deps: Pick<MessagingDeps, 'signer' | 'clock'>, request: FastifyRequest, ticket?: string): string {
  if (ticket === undefined) return requireActor(request).userId
  const claims = deps.signer.verify(TICKET_PURPOSE, ticket)
  if (
    !claims ||
    typeof claims.u !== 'string' ||
    typeof claims.e !== 'number' ||
    claims.e < deps.clock.now().getTime()
  ) {
    throw unauthorized('The stream ticket is not valid or has expired; get a new one.', 'invalid_stream_ticket')
  }
  return claims.u
}

/**
 * Live notifications: one LISTEN connection per process on the channel `notifyUsers` signals after each
 * commit, fanned out to the open streams of the user named in the payload. Any replica may hold a stream:
 * the signal goes through Postgres, not through the process that created the notification. While the
 * connection is down nothing is missed: every stream re-reads what is new when it comes back.
 */
export class NotificationStreams {
  private client: pg.Client | null = null
  private connecting: Promise<void> | null = null
  private closed = false
  private readonly subscribers = new Map<string, Set<() => void>>()
  private readonly enders = new Set<() => void>()

  constructor(
    private readonly deps: MessagingDeps,
    private readonly origin: DbOrigin,
  ) {}

  static for(deps: MessagingDeps): NotificationStreams {
    const origin = dbOrigin(deps.db)
    if (!origin) throw new Error('the messaging database did not come from createDb')
    return new NotificationStreams(deps, origin)
  }

  /** Serves `GET /v1/notifications/stream` on the raw response until the client goes or the app closes. */
  async serve(request: FastifyRequest, reply: FastifyReply, ticket?: string): Promise<void> {
    const userId = streamUser(this.deps, request, ticket)
    await this.listen()
    const { db } = this.deps
    const latest = () => latestUnread(db, userId, RECENT)
    // What is unread at connect time the page has already loaded; the stream sends what comes after. Ids
    // rather than a position: a notification whose transaction commits late still arrives.
    const sent = new Set((await latest()).map((r) => r.id))
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    })
    const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    // Wake-ups may come in bursts: one read at a time, and one more if woken meanwhile.
    let busy: Promise<void> | null = null
    let again = false
    const push = async () => {
      const language = (await preferencesOf(db, [userId])).get(userId)!.language
      const fresh = (await latest()).filter((r) => !sent.has(r.id)).reverse()
      for (const row of fresh) {
        send('notification', toNotificationDto(row, language))
        sent.add(row.id)
      }
      send('unread', { unread: await unreadCount(db, userId) })
    }
    const wake = () => {
      if (busy) {
        again = true
        return
      }
      busy = push()
        .catch((error: unknown) => request.log.warn({ err: error }, 'notification stream read failed'))
        .finally(() => {
          busy = null
          if (again) {
            again = false
            wake()
          }
        })
    }
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), this.deps.config.STREAM_HEARTBEAT_SECONDS * 1000)
    const end = () => {
      clearInterval(heartbeat)
      this.subscribers.get(userId)?.delete(wake)
      if (this.subscribers.get(userId)?.size === 0) this.subscribers.delete(userId)
      this.enders.delete(end)
      if (!raw.writableEnded) raw.end()
    }
    this.enders.add(end)
    raw.on('close', end)
    let set = this.subscribers.get(userId)
    if (!set) {
      set = new Set()
      this.subscribers.set(userId, set)
    }
    set.add(wake)
    raw.write('retry: 3000\n\n')
    wake()
  }

  /** Ends every open stream (clients reconnect elsewhere) and the LISTEN connection. */
  async close(): Promise<void> {
    this.closed = true
    for (const end of [...this.enders]) end()
    const client = this.client
    this.client = null
    await client?.end().catch(() => {})
  }

  private wakeAll() {
    for (const set of this.subscribers.values()) for (const wake of set) wake()
  }

  private listen(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve()
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null
    })
    return this.connecting
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.origin.url,
      application_name: 'messaging-stream',
      connectionTimeoutMillis: 5000,
    })
    const drop = () => {
      if (this.client !== client) return
      this.client = null
      // Whatever was announced while the connection was down is read when it is back.
      if (!this.closed) setTimeout(() => this.listen().then(() => this.wakeAll()), RECONNECT_PAUSE_MS).unref()
    }
    client.on('error', drop)
    client.on('end', drop)
    client.on('notification', (message) => {
      if (message.channel !== NOTIFICATIONS_CHANNEL || !message.payload) return
      for (const wake of this.subscribers.get(message.payload) ?? []) wake()
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${client.escapeIdentifier(NOTIFICATIONS_CHANNEL)}`)
      if (this.closed) {
        await client.end()
        return
      }
      this.client = client
    } catch {
      await client.end().catch(() => {})
      if (!this.closed) setTimeout(() => this.listen().then(() => this.wakeAll()), RECONNECT_PAUSE_MS).unref()
    }
  }
}
