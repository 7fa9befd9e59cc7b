import type { Schema } from '@commons/client'
import { photoUrl } from '@commons/contracts'
import { PriceTag, VerifiedBadge } from '../components/cards.tsx'
import { Empty, ErrorNote, Loading } from '../components/feedback.tsx'
import { LedgerChart, LedgerTable } from '../components/ledger-chart.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { RatingItem } from '../components/ratings.tsx'
import { ScorecardSection } from '../components/scorecard.tsx'
import { VerifyButton } from '../components/verify-button.tsx'
import { api, auth, problemText } from '../lib/api.ts'
import { tEnum, useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { ActivityLedgerSection } from './activities/activity-ledger.tsx'

type Reputation = Schema<'Reputation'>

function ReputationCard({ title, rep }: { title: string; rep: Reputation }) {
  const t = useT()
  return (
    <div class="card stat-card">
      <h3>{title}</h3>
      {rep.count === 0 ? (
        <p class="note">{t('profile.noRatings')}</p>
      ) : (
        <>
          <p class="stat">
            <strong>{rep.average.toFixed(1)}</strong> / 5
          </p>
          <p class="note">{t('profile.ratingCount', { n: rep.count })}</p>
          <ul class="dist" aria-label={t('profile.distribution')}>
            {([5, 4, 3, 2, 1] as const).map((s) => (
              <li key={s}>
                <span>{t('profile.stars', { n: s })}</span>
                <span class="dist-bar" aria-hidden="true">
                  <span style={{ width: `${(rep.distribution[s] / rep.count) * 100}%` }} />
                </span>
                <span>{rep.distribution[s]}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

/** The public page of an organization: who it is, how others rated it, what it offers and has shared. */
export default function ProfilePage({ orgId }: { orgId: string }) {
  const t = useT()
  const me = useStore(auth)
  const org = useLoad(
    async () => must(await api.GET('/v1/organizations/{id}', { params: { path: { id: orgId } } })),
    [orgId],
  )
  const rep = useLoad(
    async () => must(await api.GET('/v1/reputation/organizations/{id}', { params: { path: { id: orgId } } })),
    [orgId],
  )
  const ratings = useLoad(
    async () =>
      must(await api.GET('/v1/ratings', { params: { query: { organizationId: orgId, role: 'provider', limit: 20 } } })),
    [orgId],
  )
  const listings = useLoad(
    async () => must(await api.GET('/v1/organizations/{id}/listings', { params: { path: { id: orgId } } })),
    [orgId],
  )
  const ledger = useLoad(
    async () =>
      must(await api.GET('/v1/ledger/organizations/{id}', { params: { path: { id: orgId } } })) as Schema<'Ledger'>,
    [orgId],
  )
  const credits = useLoad(
    async () => must(await api.GET('/v1/time-credits/organizations/{id}', { params: { path: { id: orgId } } })),
    [orgId],
  )
  if (org.loading && !org.data) return <Loading />
  if (!org.data)
    return (
      <>
        <PageTitle title={t('profile.notFound')}>{t('profile.notFound')}</PageTitle>
        <ErrorNote>{problemText(org.error)}</ErrorNote>
      </>
    )
  const o = org.data
  const published = (listings.data?.items ?? []).filter((l) => l.status === 'published')
  return (
    <article class="profile">
      <p class="card-kind">{tEnum('orgKind', o.kind)}</p>
      <PageTitle title={o.name}>
        {o.name} {o.verified && <VerifiedBadge />}
      </PageTitle>
      <p>
        {o.city} {o.district}
      </p>
      {o.logo && (
        <img
          class="org-logo"
          src={photoUrl(o.logo, 'card')}
          alt={t('photos.logoAlt', { name: o.name })}
          width={96}
          height={96}
        />
      )}
      {o.description && <p class="description">{o.description}</p>}
      {me.moderator && !o.verified && (
        <div class="actions">
          <VerifyButton orgId={o.id} />
        </div>
      )}

      <section aria-labelledby="p-rep">
        <h2 id="p-rep">{t('profile.reputation')}</h2>
        {rep.loading && !rep.data && <Loading />}
        {rep.error !== undefined && <ErrorNote>{problemText(rep.error)}</ErrorNote>}
        {rep.data && (
          <div class="stat-grid">
            <ReputationCard title={t('profile.asProvider')} rep={rep.data.asProvider} />
            <ReputationCard title={t('profile.asRequester')} rep={rep.data.asRequester} />
          </div>
        )}
      </section>

      <ScorecardSection subject="organization" id={o.id} />

      <section aria-labelledby="p-listings">
        <h2 id="p-listings">{t('profile.listings')}</h2>
        {listings.loading && !listings.data && <Loading />}
        {listings.error !== undefined && <ErrorNote>{problemText(listings.error)}</ErrorNote>}
        {listings.data && published.length === 0 && <Empty title={t('profile.noListings')} />}
        {published.length > 0 && (
          <ul class="card-list">
            {published.map((l) => (
              <li key={l.id} class="card">
                <p class="card-kind">{tEnum('kind', l.kind)}</p>
                <p class="card-title">
                  <Link href={`/listings/${l.id}`}>{l.title}</Link>
                </p>
                <p class="card-facts">
                  <PriceTag pricing={l.pricing} /> · {l.location.district}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="p-ratings">
        <h2 id="p-ratings">{t('profile.ratings')}</h2>
        {ratings.loading && !ratings.data && <Loading label={t('ratings.loading')} />}
        {ratings.error !== undefined && <ErrorNote>{problemText(ratings.error)}</ErrorNote>}
        {ratings.data && ratings.data.items.length === 0 && <Empty title={t('ratings.empty')} />}
        {ratings.data && ratings.data.items.length > 0 && (
          <ul class="rating-list">
            {ratings.data.items.map((r) => (
              <RatingItem key={r.id} rating={r} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="p-ledger">
        <h2 id="p-ledger">{t('profile.ledger')}</h2>
        {ledger.loading && !ledger.data && <Loading />}
        {ledger.error !== undefined && <ErrorNote>{problemText(ledger.error)}</ErrorNote>}
        {ledger.data && ledger.data.months.length === 0 && <Empty title={t('ledger.empty')} />}
        {ledger.data && ledger.data.months.length > 0 && (
          <>
            <LedgerChart months={ledger.data.months} caption={t('ledger.chartCaption')} />
            <LedgerTable months={ledger.data.months} />
          </>
        )}
        <p>
          <a href={`/v1/ledger/organizations/${orgId}?format=csv`} download>
            {t('ledger.csv')}
          </a>
        </p>
      </section>

      <ActivityLedgerSection organizationId={o.id} />

      <section aria-labelledby="p-credits">
        <h2 id="p-credits">{t('profile.credits')}</h2>
        {credits.loading && !credits.data && <Loading />}
        {credits.error !== undefined && <ErrorNote>{problemText(credits.error)}</ErrorNote>}
        {credits.data && (
          <dl class="facts">
            <div>
              <dt>{t('credits.given')}</dt>
              <dd>{t('credits.hours', { n: credits.data.givenHours })}</dd>
            </div>
            <div>
              <dt>{t('credits.received')}</dt>
              <dd>{t('credits.hours', { n: credits.data.receivedHours })}</dd>
            </div>
            <div>
              <dt>{t('credits.balance')}</dt>
              <dd>{t('credits.hours', { n: credits.data.balanceHours })}</dd>
            </div>
            <div>
              <dt>{t('credits.bookings')}</dt>
              <dd>{credits.data.bookings}</dd>
            </div>
          </dl>
        )}
      </section>
    </article>
  )
}
