import { TargetGroup } from '@commons/contracts'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { api, problemText } from '../../lib/api.ts'
import { currentCity } from '../../lib/city.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { must, usePages } from '../../lib/load.ts'
import { navigate, useQuery } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { ActivityHitCard } from './activity-hit-card.tsx'
import { ActivityCalendar } from './calendar.tsx'
import { ActivityTabs } from './tabs.tsx'
import { dayStart, nextDay } from './types.ts'

type Filters = { day: string; district: string; targetGroup: string; volunteers: boolean }

function filtersOf(q: URLSearchParams): Filters {
  return {
    day: q.get('day') ?? '',
    district: q.get('district') ?? '',
    targetGroup: q.get('targetGroup') ?? '',
    volunteers: q.get('volunteers') === '1',
  }
}

/** The filters live in the address, so a filtered list can be shared and survives going back. */
function setFilter(current: Filters, change: Partial<Filters>) {
  const next = { ...current, ...change }
  const q = new URLSearchParams()
  if (next.day) q.set('day', next.day)
  if (next.district) q.set('district', next.district)
  if (next.targetGroup) q.set('targetGroup', next.targetGroup)
  if (next.volunteers) q.set('volunteers', '1')
  navigate(`/activities${q.size ? `?${q}` : ''}`, { replace: true })
}

function ActivityFilters({ filters }: { filters: Filters }) {
  const t = useT()
  return (
    <form class="activity-filters" aria-label={t('activities.filters')} onSubmit={(e) => e.preventDefault()}>
      <div class="row">
        <Field id="af-day" label={t('activities.filterDay')}>
          {(a) => (
            <input
              {...a}
              type="date"
              value={filters.day}
              onChange={(e) => setFilter(filters, { day: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        <Field id="af-district" label={t('orgs.district')}>
          {(a) => (
            <input
              {...a}
              value={filters.district}
              placeholder={t('activities.districtPlaceholder')}
              onChange={(e) => setFilter(filters, { district: (e.target as HTMLInputElement).value.trim() })}
            />
          )}
        </Field>
        <Field id="af-target" label={t('activities.targetGroup')}>
          {(a) => (
            <select
              {...a}
              value={filters.targetGroup}
              onChange={(e) => setFilter(filters, { targetGroup: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t('activities.anyone')}</option>
              {TargetGroup.options.map((g) => (
                <option key={g} value={g}>
                  {tEnum('targetGroup', g)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <label class="choice-row">
        <input
          type="checkbox"
          checked={filters.volunteers}
          onChange={(e) => setFilter(filters, { volunteers: (e.target as HTMLInputElement).checked })}
        />
        {t('activities.filterVolunteers')}
      </label>
    </form>
  )
}

const PER_PAGE = 20

/**
 * The activities of the city chosen in the header, from search (the host organization's city), so the list
 * follows the switcher as listings do. Pages of search stand in for the cursor `usePages` expects.
 */
function ActivityList({ filters }: { filters: Filters }) {
  const t = useT()
  const city = useStore(currentCity)
  const pages = usePages(
    async (cursor) => {
      const page = cursor ? Number(cursor) : 1
      const result = must(
        await api.GET('/v1/search/activities', {
          params: {
            query: {
              page,
              perPage: PER_PAGE,
              city: [city],
              ...(filters.day ? { from: dayStart(filters.day), to: dayStart(nextDay(filters.day)) } : {}),
              ...(filters.district ? { district: [filters.district] } : {}),
              ...(filters.targetGroup ? { targetGroup: [filters.targetGroup as TargetGroup] } : {}),
              ...(filters.volunteers ? { hasVolunteerPlaces: 'true' } : {}),
            },
          },
        }),
      )
      return { items: result.hits, nextCursor: page * PER_PAGE < result.total ? String(page + 1) : null }
    },
    [city, filters.day, filters.district, filters.targetGroup, filters.volunteers],
  )
  return (
    <section aria-labelledby="activities-city-title">
      <h2 id="activities-city-title">{t('activityHit.inCity', { city })}</h2>
      {pages.loading && !pages.loaded && <Loading />}
      {pages.error !== undefined && <ErrorNote>{problemText(pages.error)}</ErrorNote>}
      {pages.loaded && pages.items.length === 0 && <Empty title={t('activities.empty')} />}
      <ul class="card-list">
        {pages.items.map((hit) => (
          <li key={hit.id}>
            <ActivityHitCard hit={hit} />
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
    </section>
  )
}

/** 活动: what is on, as a filtered list or a month/week calendar. */
export default function ActivitiesPage() {
  const t = useT()
  const query = useQuery()
  const calendar = query.get('view') === 'calendar'
  const filters = filtersOf(query)
  return (
    <>
      <PageTitle title={t('activities.title')}>{t('activities.title')}</PageTitle>
      <p class="lead">{t('activities.lead')}</p>
      <ActivityTabs current={calendar ? 'calendar' : 'list'} />
      {calendar ? (
        <ActivityCalendar />
      ) : (
        <>
          <ActivityFilters filters={filters} />
          <ActivityList filters={filters} />
        </>
      )}
    </>
  )
}
