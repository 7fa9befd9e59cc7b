import type { Schema } from '@commons/client'
import { api } from './api.ts'
import { createStore } from './store.ts'

export type AppNotification = Schema<'Notification'>

/** The signed-in member's unread notifications, kept live by the stream. */
export const unreadCount = createStore<number>(0)

const listeners = new Set<(n: AppNotification) => void>()

/** Calls `fn` for each notification the stream brings; returns the unsubscribe. */
export function onNotification(fn: (n: AppNotification) => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

let source: EventSource | null = null
let retryTimer: ReturnType<typeof setTimeout> | undefined
let running = false
let failures = 0

/**
 * Opens the live stream. EventSource cannot send the Authorization header, so each connection first trades
 * the access token for a short-lived ticket; when the stream drops, a new ticket is fetched (the browser's
 * own reconnect would reuse the expired one), with a growing pause.
 */
export function startNotifications(): void {
  if (running) return
  running = true
  void connect()
}

export function stopNotifications(): void {
  running = false
  clearTimeout(retryTimer)
  source?.close()
  source = null
  unreadCount.set(0)
}

async function connect() {
  if (!running) return
  const { data } = await api.POST('/v1/notifications/stream-ticket').catch(() => ({ data: undefined }))
  if (!running) return
  if (!data) return retry()
  const es = new EventSource(`/v1/notifications/stream?ticket=${encodeURIComponent(data.ticket)}`)
  source = es
  es.addEventListener('unread', (e) => {
    failures = 0
    unreadCount.set((JSON.parse((e as MessageEvent).data) as { unread: number }).unread)
  })
  es.addEventListener('notification', (e) => {
    const n = JSON.parse((e as MessageEvent).data) as AppNotification
    for (const fn of listeners) fn(n)
  })
  es.onerror = () => {
    es.close()
    if (source === es) source = null
    retry()
  }
}

function retry() {
  failures += 1
  clearTimeout(retryTimer)
  retryTimer = setTimeout(() => void connect(), Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)))
}
