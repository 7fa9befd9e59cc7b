import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { api, auth, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { useReached } from '../../lib/time.ts'
import { ActivityFacts } from './activity.tsx'
import { StatusBadge } from './activity-card.tsx'
import { ActivityForm } from './activity-form.tsx'
import { CheckInForm } from './check-in.tsx'
import { EvaluationForm } from './evaluation-form.tsx'
import { RegistrationsTable } from './registrations-table.tsx'
import type { Activity } from './types.ts'

/** Cancelling asks for the reason everyone signed up will be told. */
function CancelForm({ activity, onDone }: { activity: Activity; onDone: () => void }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<Problem | undefined>()
  if (!open)
    return (
      <button type="button" class="btn btn-danger" onClick={() => setOpen(true)}>
        {t('manage.cancel')}
      </button>
    )
  const send = async (e: Event) => {
    e.preventDefault()
    const res = await api.POST('/v1/activities/{id}/cancel', {
      params: { path: { id: activity.id } },
      body: { reason: reason.trim() },
    })
    if (problemOf(res)) return setProblem(problemOf(res))
    onDone()
  }
  return (
    <form class="inline-form" onSubmit={send} noValidate>
      <div class="field">
        <label for="cancel-reason">{t('manage.cancelReason')}</label>
        <textarea
          id="cancel-reason"
          maxLength={500}
          value={reason}
          onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
        />
      </div>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class="btn btn-danger" disabled={!reason.trim()}>
        {t('manage.confirmCancel')}
      </button>
      <button type="button" class="btn btn-quiet" onClick={() => setOpen(false)}>
        {t('common.back')}
      </button>
    </form>
  )
}

function Manage({ id }: { id: string }) {
  const t = useT()
  const me = useStore(auth)
  const activity = useLoad(async () => must(await api.GET('/v1/activities/{id}', { params: { path: { id } } })), [id])
  const registrations = useLoad(
    async () =>
      must(
        await api.GET('/v1/activities/{id}/registrations', { params: { path: { id }, query: { format: 'json' } } }),
      ) as Schema<'RegistrationList'>,
    [id],
  )
  const [editing, setEditing] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const ended = useReached(activity.data?.end ?? '9999-12-31T00:00:00Z')
  if (activity.loading && !activity.data) return <Loading />
  if (!activity.data) return <ErrorNote>{t('activities.notFound')}</ErrorNote>
  const a = activity.data
  const role = me.memberships.find((m) => m.organizationId === a.organizationId)?.role
  if (role !== 'owner' && role !== 'admin' && !me.moderator) return <ErrorNote>{t('manage.notHost')}</ErrorNote>
  const reload = () => {
    activity.reload()
    registrations.reload()
  }
  const publish = async () => {
    const res = await api.POST('/v1/activities/{id}/publish', { params: { path: { id } } })
    setProblem(problemOf(res))
    if (res.data) reload()
  }
  const items = registrations.data?.items ?? []
  const served = items.filter((r) => r.role === 'volunteer' && r.status === 'confirmed' && r.checkedInAt)
  return (
    <article class="manage-page">
      <PageTitle title={t('manage.title', { title: a.title })}>
        {a.title} <StatusBadge activity={a} />
      </PageTitle>
      <p class="lead">
        {t('manage.lead')} · <Link href={`/activities/${a.id}`}>{t('manage.publicPage')}</Link>
      </p>
      <div class="actions">
        {a.status === 'draft' && (
          <button type="button" class="btn btn-primary" onClick={publish}>
            {t('manage.publish')}
          </button>
        )}
        {a.status !== 'cancelled' && !ended && (
          <button type="button" class="btn" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            {t('manage.edit')}
          </button>
        )}
        {a.status !== 'cancelled' && !ended && <CancelForm activity={a} onDone={reload} />}
      </div>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      {editing ? (
        <ActivityForm
          organizationId={a.organizationId}
          activity={a}
          onSaved={() => {
            setEditing(false)
            reload()
          }}
        />
      ) : (
        <ActivityFacts activity={a} />
      )}
      {a.status === 'published' && !ended && <CheckInForm activityId={a.id} onCheckedIn={registrations.reload} />}
      {registrations.error !== undefined && <ErrorNote>{problemText(registrations.error)}</ErrorNote>}
      {registrations.data && (
        <RegistrationsTable
          activityId={a.id}
          items={items}
          canCheckIn={a.status === 'published' && !ended}
          onChange={reload}
        />
      )}
      {ended && a.status === 'published' && served.length > 0 && (
        <section aria-labelledby="host-evaluations">
          <h2 id="host-evaluations">{t('manage.evaluateVolunteers')}</h2>
          {served.map((r) => (
            <EvaluationForm
              key={r.id}
              activityId={a.id}
              direction="host_to_volunteer"
              subjectUserId={r.userId}
              subjectName={r.displayName}
            />
          ))}
        </section>
      )}
    </article>
  )
}

/** The host's management page: edit, publish, cancel, sign-ups and waitlist, check-in, CSV, evaluations. */
export default function ManageActivityPage({ id }: { id: string }) {
  return (
    <RequireAuth>
      <Manage id={id} />
    </RequireAuth>
  )
}
