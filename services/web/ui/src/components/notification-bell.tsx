import { useEffect } from 'preact/hooks'
import { auth } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { startNotifications, stopNotifications, unreadCount } from '../lib/notifications.ts'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'

/** The bell in the header: unread count, live from the notification stream; opens the notification center. */
export function NotificationBell() {
  const t = useT()
  const me = useStore(auth)
  const count = useStore(unreadCount)
  const signedIn = me.status === 'signed-in'
  useEffect(() => {
    if (signedIn) startNotifications()
    else stopNotifications()
  }, [signedIn])
  if (!signedIn) return null
  const label = count > 0 ? t('bell.unread', { count }) : t('bell.label')
  return (
    // The name is hidden text rather than aria-label: the visible bell and count are not words, and a label
    // that does not contain what is seen confuses voice control.
    <Link href="/notifications" class="bell" title={label}>
      <span class="visually-hidden">{label}</span>
      {/* An outline rather than the emoji: not every phone's font has the bell glyph (it showed as a box). */}
      <svg
        aria-hidden="true"
        width="20"
        height="20"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
      >
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 ? (
        <span class="bell-count" data-testid="bell-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </Link>
  )
}
