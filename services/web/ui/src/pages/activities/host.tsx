import { useState } from 'preact/hooks'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { api, auth, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { must, usePages } from '../../lib/load.ts'
import { navigate } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { ActivityCard } from './activity-card.tsx'
import { ActivityForm } from './activity-form.tsx'

// The host sees the last quarter's activities too: their sign-ups, no-shows and evaluations still matter.
const PAST_DAYS = 90

function HostActivities({ orgId }: { orgId: string }) {
  const t = useT()
  const me = useStore(auth)
  const membership = me.memberships.find((m) => m.organizationId === orgId)
  const canManage = membership?.role === 'owner' || membership?.role === 'admin'
  const [creating, setCreating] = useState(false)
  const [from] = useState(() => new Date(Date.now() - PAST_DAYS * 86_400_000).toISOString())
  const pages = usePages(
    async (cursor) =>
      must(
        await api.GET('/v1/activities', {
          params: {
            query: { organizationId: orgId, include: 'drafts', from, limit: 50, ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
    [orgId],
  )
  const name = membership?.organizationName ?? ''
  return (
    <>
      <PageTitle title={t('host.title', { name })}>{t('host.title', { name })}</PageTitle>
      <p class="lead">{t('host.lead')}</p>
      {canManage && (
        <details
          class="card"
          open={creating}
          onToggle={(e) => setCreating((e.currentTarget as HTMLDetailsElement).open)}
        >
          <summary>{t('host.create')}</summary>
          {creating && <ActivityForm organizationId={orgId} onSaved={(a) => navigate(`/activities/${a.id}/manage`)} />}
        </details>
      )}
      {pages.loading && !pages.loaded && <Loading />}
      {pages.error !== undefined && <ErrorNote>{problemText(pages.error)}</ErrorNote>}
      {pages.loaded && pages.items.length === 0 && <Empty title={t('host.empty')} />}
      <ul class="card-list">
        {pages.items.map((a) => (
          <li key={a.id}>
            <ActivityCard activity={a} href={canManage ? `/activities/${a.id}/manage` : undefined} />
          </li>
        ))}
      </ul>
      {pages.hasMore && (
        <p class="pager">
          <button type="button" class="btn" onClick={pages.more} disabled={pages.loading}>
            {t('activities.more')}
          </button>
        </p>
      )}
    </>
  )
}

/** An organization's activities for its members, drafts included; its admins create them here. */
export default function HostActivitiesPage({ orgId }: { orgId: string }) {
  return (
    <RequireAuth>
      <HostActivities orgId={orgId} />
    </RequireAuth>
  )
}
