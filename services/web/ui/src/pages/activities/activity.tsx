import { EvaluationList } from '../../components/evaluations.tsx'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { api, auth } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { PlacesLine, StatusBadge } from './activity-card.tsx'
import { ParticipantPanel } from './sign-up.tsx'
import { type Activity, activityWhen, ZONE } from './types.ts'

/** The facts every visitor sees: when, where, for whom, places. */
export function ActivityFacts({ activity }: { activity: Activity }) {
  const t = useT()
  return (
    <dl class="facts">
      <div>
        <dt>{t('activities.when')}</dt>
        <dd>{activityWhen(activity)}</dd>
      </div>
      <div>
        <dt>{t('activities.where')}</dt>
        <dd>
          {activity.place.district}
          {activity.place.title && (
            <>
              {' · '}
              {activity.place.listingId ? (
                <Link href={`/listings/${activity.place.listingId}`}>{activity.place.title}</Link>
              ) : (
                activity.place.title
              )}
            </>
          )}
          {activity.place.address ? ` · ${activity.place.address}` : ''}
        </dd>
      </div>
      <div>
        <dt>{t('activities.targetGroup')}</dt>
        <dd>{activity.targetGroups.map((g) => tEnum('targetGroup', g)).join('、')}</dd>
      </div>
      <div>
        <dt>{t('activities.places')}</dt>
        <dd>
          <ul class="card-facts">
            <PlacesLine activity={activity} />
          </ul>
        </dd>
      </div>
      <div>
        <dt>{t('activities.deadline')}</dt>
        <dd>{formatDateTime(activity.signUpDeadline, ZONE)}</dd>
      </div>
    </dl>
  )
}

/** An activity's page: what it is, and 报名 / 当志愿者 for the signed-in. */
export default function ActivityPage({ id }: { id: string }) {
  const t = useT()
  const me = useStore(auth)
  const activity = useLoad(
    async () => must(await api.GET('/v1/activities/{id}', { params: { path: { id } } })),
    [id, me.status],
  )
  if (activity.loading && !activity.data) return <Loading />
  if (!activity.data) return <ErrorNote>{t('activities.notFound')}</ErrorNote>
  const a = activity.data
  const role = me.memberships.find((m) => m.organizationId === a.organizationId)?.role
  const hosts = role === 'owner' || role === 'admin'
  return (
    <article class="activity-page">
      <PageTitle title={a.title}>{a.title}</PageTitle>
      <p class="lead">
        {tEnum('activityCategory', a.category)} ·{' '}
        <Link href={`/profiles/${a.organizationId}`}>{a.organizationName}</Link> <StatusBadge activity={a} />
      </p>
      {a.status === 'cancelled' && (
        <p class="notice" role="status">
          {t('activities.cancelledBecause', { reason: a.cancelReason ?? '' })}
        </p>
      )}
      {hosts && (
        <p>
          <Link href={`/activities/${a.id}/manage`} class="btn">
            {t('manage.open')}
          </Link>
        </p>
      )}
      <ActivityFacts activity={a} />
      {a.description && <p class="description prewrap">{a.description}</p>}
      {a.volunteerSkills.length > 0 && <p>{t('registration.skills', { skills: a.volunteerSkills.join('、') })}</p>}
      <ParticipantPanel activity={a} onChange={activity.reload} />
      <EvaluationList query={{ activityId: a.id }} />
    </article>
  )
}
