import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { ListingCard } from '../components/cards.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { SearchBox } from '../components/search-box.tsx'
import { api, auth } from '../lib/api.ts'
import { currentCity } from '../lib/city.ts'
import { useT } from '../lib/i18n.ts'
import { useLoad } from '../lib/load.ts'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { ActivityHitCard } from './activities/activity-hit-card.tsx'

function Recommendations() {
  const t = useT()
  const { data } = useLoad(
    async () => (await api.GET('/v1/recommendations', { params: { query: { limit: 6 } } })).data,
    [],
  )
  if (!data || data.items.length === 0) return null
  return (
    <section class="section" aria-labelledby="recs-title">
      <h2 id="recs-title">{data.personalised ? t('home.recsForYou') : t('home.recsPopular')}</h2>
      <div class="card-grid">
        {data.items.map((hit) => (
          <ListingCard key={hit.id} hit={hit} />
        ))}
      </div>
    </section>
  )
}

/** The chosen city's best-rated listings: what people of that city use most. */
function CityPopular() {
  const t = useT()
  const city = useStore(currentCity)
  const { data } = useLoad(
    async () =>
      (
        await api.GET('/v1/search', {
          params: { query: { q: '', perPage: 6, sort: 'rating', ...(city ? { city: [city] } : {}) } },
        })
      ).data,
    [city],
  )
  if (!data || data.hits.length === 0) return null
  return (
    <section class="section" aria-labelledby="popular-home-title">
      <h2 id="popular-home-title">{city ? t('home.popularIn', { city }) : t('home.popular')}</h2>
      <div class="card-grid">
        {data.hits.map((hit) => (
          <ListingCard key={hit.id} hit={hit} />
        ))}
      </div>
    </section>
  )
}

/** What is on soon in the chosen city: the next few activities hosted there. */
function CityActivities() {
  const t = useT()
  const city = useStore(currentCity)
  const { data } = useLoad(
    async () => (await api.GET('/v1/search/activities', { params: { query: { perPage: 4, city: [city] } } })).data,
    [city],
  )
  if (!data || data.hits.length === 0) return null
  return (
    <section class="section" aria-labelledby="activities-home-title">
      <div class="section-head">
        <h2 id="activities-home-title">{t('activityHit.homeTitle', { city })}</h2>
        <Link href="/activities">{t('activityHit.homeMore')}</Link>
      </div>
      <div class="card-grid">
        {data.hits.map((hit) => (
          <ActivityHitCard key={hit.id} hit={hit} />
        ))}
      </div>
    </section>
  )
}

/** Listings near the person, once they allow their position (asked only when they press the button). */
function Nearby() {
  const t = useT()
  const [near, setNear] = useState<string | undefined>()
  const [state, setState] = useState<'idle' | 'locating' | 'denied'>('idle')
  const { data } = useLoad(
    async () =>
      near
        ? (
            await api.GET('/v1/search', {
              params: { query: { q: '', perPage: 6, sort: 'distance', near, radiusKm: 10 } },
            })
          ).data
        : undefined,
    [near],
  )
  const locate = () => {
    if (!('geolocation' in navigator)) return setState('denied')
    setState('locating')
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setState('idle')
        setNear(`${pos.coords.latitude.toFixed(5)},${pos.coords.longitude.toFixed(5)}`)
      },
      () => setState('denied'),
      { timeout: 10_000, maximumAge: 300_000 },
    )
  }
  return (
    <section class="section" aria-labelledby="nearby-title">
      <div class="section-head">
        <h2 id="nearby-title">{t('home.nearby')}</h2>
        {!near && (
          <button
            type="button"
            class="btn"
            onClick={locate}
            disabled={state === 'locating'}
            aria-busy={state === 'locating'}
          >
            {state === 'locating' ? t('search.locating') : t('home.nearbyShow')}
          </button>
        )}
      </div>
      {state === 'denied' && <p class="hint">{t('search.geoDenied')}</p>}
      {data && data.hits.length === 0 && <p class="hint">{t('home.nearbyNone')}</p>}
      {data && data.hits.length > 0 && (
        <div class="card-grid">
          {data.hits.map((hit) => (
            <ListingCard key={hit.id} hit={hit} />
          ))}
        </div>
      )}
    </section>
  )
}

/** The platform's figures, summed from the open usage ledger. */
function PlatformFigures() {
  const t = useT()
  const { data } = useLoad(async () => (await api.GET('/v1/ledger')).data as Schema<'Ledger'> | undefined, [])
  const months = data?.months ?? []
  if (months.length === 0) return null
  const sum = (pick: (m: (typeof months)[number]) => number) => months.reduce((n, m) => n + pick(m), 0)
  const figures: Array<[string, number]> = [
    [t('home.figBookings'), sum((m) => m.completedBookings)],
    [t('home.figHours'), Math.round(sum((m) => m.hoursShared))],
    [t('home.figAttendees'), sum((m) => m.attendees)],
    [t('home.figVolunteer'), Math.round(sum((m) => m.volunteerHours))],
  ]
  return (
    <section class="section" aria-labelledby="figures-title">
      <h2 id="figures-title">{t('home.figures')}</h2>
      <dl class="figures">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <p>
        <Link href="/ledger">{t('home.figuresMore')}</Link>
      </p>
    </section>
  )
}

export function Home() {
  const t = useT()
  const me = useStore(auth)
  return (
    <>
      <section class="hero">
        <PageTitle title={t('home.title')}>{t('home.title')}</PageTitle>
        <p class="lead">{t('home.lead')}</p>
        <SearchBox />
        <ul class="kind-links">
          {(['venue', 'expertise', 'volunteer_time'] as const).map((kind) => (
            <li key={kind}>
              <Link href={`/search?kind=${kind}`} class={`kind-link kind-${kind}`}>
                <strong>{t(`kind.${kind}`)}</strong>
                <span>{t(`home.kindHint.${kind}`)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      {me.status === 'signed-in' && <Recommendations />}
      <CityPopular />
      <CityActivities />
      <Nearby />
      <PlatformFigures />
      <section class="section how">
        <h2>{t('home.howTitle')}</h2>
        <ol class="steps">
          <li>{t('home.step1')}</li>
          <li>{t('home.step2')}</li>
          <li>{t('home.step3')}</li>
        </ol>
      </section>
    </>
  )
}
