import type { Schema } from '@commons/client'
import { useEffect, useState } from 'preact/hooks'
import { Empty, ErrorNote, Loading } from '../components/feedback.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { RequireAuth } from '../components/require-auth.tsx'
import { api, problemOf, problemText } from '../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { type AppNotification, onNotification, unreadCount } from '../lib/notifications.ts'
import { Link } from '../lib/router.tsx'

type Preferences = Schema<'NotificationPreferences'>

function NotificationList() {
  const t = useT()
  const list = useLoad(async () => must(await api.GET('/v1/notifications', { params: { query: { limit: 50 } } })), [])
  const [items, setItems] = useState<AppNotification[]>([])
  useEffect(() => {
    if (list.data) setItems(list.data.items)
  }, [list.data])
  // New ones arrive through the stream while the page is open.
  useEffect(() => onNotification((n) => setItems((shown) => [n, ...shown.filter((s) => s.id !== n.id)])), [])

  const markRead = async (body: { ids: string[] } | { all: true }) => {
    const res = await api.POST('/v1/notifications/read', { body })
    if (!res.data) return
    unreadCount.set(res.data.unread)
    const ids = 'ids' in body ? new Set(body.ids) : null
    setItems((shown) => shown.map((n) => (!ids || ids.has(n.id) ? { ...n, read: true } : n)))
  }

  if (list.loading && !list.data) return <Loading />
  if (list.error) return <ErrorNote>{problemText(list.error)}</ErrorNote>
  if (items.length === 0) return <Empty title={t('notifications.empty')} />
  return (
    <>
      <p>
        <button type="button" class="btn btn-quiet" onClick={() => markRead({ all: true })}>
          {t('notifications.markAll')}
        </button>
      </p>
      <ul class="notification-list">
        {items.map((n) => (
          <li key={n.id} class={n.read ? 'notification' : 'notification unread'}>
            {/* The red dot is drawn by CSS and silent; screen readers hear the state in words instead. */}
            {n.read ? null : <span class="visually-hidden">{t('notifications.unread')}</span>}
            <Link href={n.link} onClick={() => !n.read && void markRead({ ids: [n.id] })}>
              <strong>{n.title}</strong>
            </Link>
            <p>{n.body}</p>
            <span class="muted">{formatDateTime(n.createdAt)}</span>
          </li>
        ))}
      </ul>
    </>
  )
}

function PreferencesForm() {
  const t = useT()
  const loaded = useLoad(async () => must(await api.GET('/v1/notifications/preferences')), [])
  const [prefs, setPrefs] = useState<Preferences>()
  const [note, setNote] = useState<string>()
  useEffect(() => {
    if (loaded.data) setPrefs(loaded.data)
  }, [loaded.data])
  if (!prefs) return loaded.error ? <ErrorNote>{problemText(loaded.error)}</ErrorNote> : <Loading />
  const save = async (e: Event) => {
    e.preventDefault()
    const res = await api.PUT('/v1/notifications/preferences', {
      body: {
        language: prefs.language,
        email: { address: prefs.email.address || null, enabled: prefs.email.enabled },
        types: prefs.types,
      },
    })
    if (res.data) {
      setPrefs(res.data)
      setNote(t('notifications.saved'))
    } else setNote(problemText(problemOf(res)))
  }
  const types = Object.keys(prefs.types) as Array<keyof Preferences['types']>
  return (
    <form class="stack" onSubmit={save}>
      <label>
        {t('notifications.emailAddress')}
        <input
          type="email"
          value={prefs.email.address ?? ''}
          onInput={(e) =>
            setPrefs({ ...prefs, email: { ...prefs.email, address: (e.target as HTMLInputElement).value } })
          }
        />
      </label>
      <label>
        <input
          type="checkbox"
          checked={prefs.email.enabled}
          onChange={(e) =>
            setPrefs({ ...prefs, email: { ...prefs.email, enabled: (e.target as HTMLInputElement).checked } })
          }
        />{' '}
        {t('notifications.emailEnabled')}
      </label>
      <label>
        {t('notifications.emailLanguage')}
        <select
          value={prefs.language}
          onChange={(e) =>
            setPrefs({ ...prefs, language: (e.target as HTMLSelectElement).value as Preferences['language'] })
          }
        >
          <option value="zh-CN">中文</option>
          <option value="en">English</option>
        </select>
      </label>
      <table class="prefs">
        <thead>
          <tr>
            <th scope="col">{t('notifications.type')}</th>
            <th scope="col">{t('notifications.inApp')}</th>
            <th scope="col">{t('notifications.email')}</th>
          </tr>
        </thead>
        <tbody>
          {types.map((type) => (
            <tr key={type}>
              <th scope="row">{tEnum('notificationType', String(type))}</th>
              {(['inApp', 'email'] as const).map((channel) => (
                <td key={channel}>
                  <input
                    type="checkbox"
                    aria-label={`${tEnum('notificationType', String(type))} ${t(channel === 'inApp' ? 'notifications.inApp' : 'notifications.email')}`}
                    checked={prefs.types[type]?.[channel] ?? true}
                    onChange={(e) =>
                      setPrefs({
                        ...prefs,
                        types: {
                          ...prefs.types,
                          [type]: { ...prefs.types[type]!, [channel]: (e.target as HTMLInputElement).checked },
                        },
                      })
                    }
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="submit" class="btn btn-primary">
          {t('notifications.save')}
        </button>{' '}
        {note ? <span role="status">{note}</span> : null}
      </p>
    </form>
  )
}

/** The notification center: what happened, newest first, with links to each page; and the preferences. */
export default function NotificationsPage() {
  const t = useT()
  return (
    <RequireAuth>
      <PageTitle title={t('notifications.title')}>{t('notifications.title')}</PageTitle>
      <p>
        <Link href="/conversations">{t('conversations.title')}</Link>
      </p>
      <NotificationList />
      <details class="prefs-box">
        <summary>{t('notifications.preferences')}</summary>
        <PreferencesForm />
      </details>
    </RequireAuth>
  )
}
