import { auth } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'

/** 列表 · 日历 · 我的活动: the activities section's own tabs. */
export function ActivityTabs({ current }: { current: 'list' | 'calendar' | 'mine' }) {
  const t = useT()
  const me = useStore(auth)
  const tab = (key: typeof current, href: string, label: string) => (
    <Link href={href} class="tab" aria-current={current === key ? 'page' : undefined}>
      {label}
    </Link>
  )
  return (
    <nav class="tabs" aria-label={t('activities.views')}>
      {tab('list', '/activities', t('activities.tabList'))}
      {tab('calendar', '/activities?view=calendar', t('activities.tabCalendar'))}
      {me.status === 'signed-in' && tab('mine', '/activities/mine', t('activities.tabMine'))}
    </nav>
  )
}
