import type { Schema } from '@commons/client'
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, auth, problemOf, problemText } from '../lib/api.ts'
import { formatDateTime, useT } from '../lib/i18n.ts'
import { onNotification } from '../lib/notifications.ts'
import { useStore } from '../lib/store.ts'
import { ErrorNote } from './feedback.tsx'

type Message = Schema<'Message'>
type Subject = { type: 'booking' | 'need'; id: string }

/** Which conversation: one already known by id, or the one of a subject (opened on first use). */
type Target = { id: string } | { subject: Subject; organizationId: string }

/**
 * The conversation of a booking, or of a need and the organization answering it: opens it (or finds the
 * existing one), shows the messages oldest first with older pages on demand, sends, and keeps up with new
 * messages announced by the notification stream. `organizationId` is the caller's side (booking) or the
 * answering organization (need). Given an `id` (the conversations page), nothing is opened: the group that
 * posted a need cannot open a conversation on behalf of the organization that answered it.
 */
export function Conversation(target: Target) {
  const t = useT()
  const me = useStore(auth)
  const [conversationId, setConversationId] = useState<string>()
  const [messages, setMessages] = useState<Message[]>([])
  const [older, setOlder] = useState<string | null>(null)
  const [error, setError] = useState<string>()
  const [draft, setDraft] = useState('')
  const [sending, setSending] = useState(false)
  // One key per draft: a send retried after a dropped answer posts the message once.
  const draftKey = useRef(crypto.randomUUID())

  const loadLatest = async (id: string) => {
    const res = await api.GET('/v1/conversations/{id}/messages', { params: { path: { id }, query: { limit: 30 } } })
    if (!res.data) return setError(problemText(problemOf(res)))
    const latest = [...res.data.items].reverse()
    setMessages((shown) => {
      const known = new Set(latest.map((m) => m.id))
      return [...shown.filter((m) => !known.has(m.id)), ...latest].sort((a, b) =>
        a.createdAt.localeCompare(b.createdAt),
      )
    })
    setOlder((o) => o ?? res.data.nextCursor)
    await api.POST('/v1/conversations/{id}/read', { params: { path: { id } } })
  }

  const key = 'id' in target ? target.id : `${target.subject.type}:${target.subject.id}:${target.organizationId}`
  useEffect(() => {
    let live = true
    void (async () => {
      if ('id' in target) {
        setConversationId(target.id)
        return loadLatest(target.id)
      }
      const { subject, organizationId } = target
      const res = await api.POST('/v1/conversations', { body: { subject, organizationId } })
      if (!live) return
      if (!res.data) return setError(problemText(problemOf(res)))
      setConversationId(res.data.id)
      await loadLatest(res.data.id)
    })()
    return () => {
      live = false
    }
  }, [key])

  useEffect(() => {
    if (!conversationId) return
    return onNotification((n) => {
      if (n.type === 'message_received') void loadLatest(conversationId)
    })
  }, [conversationId])

  const loadOlder = async () => {
    if (!conversationId || !older) return
    const res = await api.GET('/v1/conversations/{id}/messages', {
      params: { path: { id: conversationId }, query: { before: older, limit: 30 } },
    })
    if (!res.data) return setError(problemText(problemOf(res)))
    setMessages((shown) => [...[...res.data.items].reverse(), ...shown])
    setOlder(res.data.nextCursor)
  }

  const send = async (e: Event) => {
    e.preventDefault()
    if (!conversationId || !draft.trim()) return
    setSending(true)
    const res = await api.POST('/v1/conversations/{id}/messages', {
      params: { path: { id: conversationId }, header: { 'idempotency-key': draftKey.current } },
      body: { text: draft },
    })
    setSending(false)
    if (!res.data) return setError(problemText(problemOf(res)))
    setError(undefined)
    setDraft('')
    draftKey.current = crypto.randomUUID()
    setMessages((shown) => (shown.some((m) => m.id === res.data.id) ? shown : [...shown, res.data]))
  }

  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <h2 id="conversation-title">{t('conversation.title')}</h2>
      {older ? (
        <button type="button" class="btn btn-quiet" onClick={loadOlder}>
          {t('conversation.older')}
        </button>
      ) : null}
      {messages.length === 0 && conversationId ? <p class="muted">{t('conversation.empty')}</p> : null}
      <ol class="messages" aria-live="polite">
        {messages.map((m) => (
          <li key={m.id} class={m.author.userId === me.user?.id ? 'message mine' : 'message'}>
            <span class="message-meta">
              {m.author.displayName} · {formatDateTime(m.createdAt)}
            </span>
            <p class="message-text">{m.text}</p>
          </li>
        ))}
      </ol>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      <form class="message-form" onSubmit={send}>
        <label class="visually-hidden" for="message-draft">
          {t('conversation.label')}
        </label>
        <textarea
          id="message-draft"
          rows={2}
          maxLength={2000}
          value={draft}
          placeholder={t('conversation.placeholder')}
          onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
        />
        <button type="submit" class="btn btn-primary" disabled={sending || !conversationId || !draft.trim()}>
          {sending ? t('common.sending') : t('conversation.send')}
        </button>
      </form>
    </section>
  )
}
