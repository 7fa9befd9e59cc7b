import type { Schema } from '@commons/client'
import { tEnum, useT } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { activityWhen } from './types.ts'

export type ActivityHit = Schema<'ActivityHit'>

/** One activity found by search (the list and the home page): what, when, where, whom for. */
export function ActivityHitCard({ hit }: { hit: ActivityHit }) {
  const t = useT()
  return (
    <article class="card activity-card">
      <p class="card-kind">{tEnum('activityCategory', hit.category)}</p>
      <h3 class="card-title">
        <Link href={`/activities/${hit.id}`}>{hit.title}</Link>
      </h3>
      <p class="card-org">{hit.organization.name}</p>
      <ul class="card-facts">
        <li>{activityWhen(hit)}</li>
        <li>
          {hit.district}
          {hit.placeTitle ? ` · ${hit.placeTitle}` : ''}
        </li>
        <li>{hit.targetGroups.map((g) => tEnum('targetGroup', g)).join('、')}</li>
        <li>{t('activityHit.capacity', { n: hit.capacity })}</li>
      </ul>
      {hit.volunteerPlaces > 0 && <p class="badge badge-verified">{t('activities.needsVolunteers')}</p>}
    </article>
  )
}
