import { tEnum, useT } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { type Activity, activityWhen } from './types.ts'

/** Places taken out of places offered, and the waitlist when there is one. */
export function PlacesLine({ activity }: { activity: Activity }) {
  const t = useT()
  return (
    <>
      <li>{t('activities.attendeesN', { n: activity.attendees, of: activity.capacity })}</li>
      {activity.volunteerPlaces > 0 && (
        <li>{t('activities.volunteersN', { n: activity.volunteers, of: activity.volunteerPlaces })}</li>
      )}
      {activity.waitlisted > 0 && <li>{t('activities.waitlistedN', { n: activity.waitlisted })}</li>}
    </>
  )
}

export function StatusBadge({ activity }: { activity: Activity }) {
  useT()
  if (activity.status === 'published') return null
  return <span class={`badge status-${activity.status}`}>{tEnum('activityStatus', activity.status)}</span>
}

/** One activity in a list: what, when, where, whom for, and how full. */
export function ActivityCard({ activity, href }: { activity: Activity; href?: string }) {
  const t = useT()
  return (
    <article class="card activity-card" data-status={activity.status}>
      <p class="card-kind">
        {tEnum('activityCategory', activity.category)} <StatusBadge activity={activity} />
      </p>
      <h3 class="card-title">
        <Link href={href ?? `/activities/${activity.id}`}>{activity.title}</Link>
      </h3>
      <p class="card-org">{activity.organizationName}</p>
      <ul class="card-facts">
        <li>{activityWhen(activity)}</li>
        <li>
          {activity.place.district}
          {activity.place.title ? ` · ${activity.place.title}` : ''}
        </li>
        <li>{activity.targetGroups.map((g) => tEnum('targetGroup', g)).join('、')}</li>
        <PlacesLine activity={activity} />
      </ul>
      {activity.volunteerPlaces > activity.volunteers && activity.status === 'published' && (
        <p class="badge badge-verified">{t('activities.needsVolunteers')}</p>
      )}
    </article>
  )
}
