import { photoUrl } from '@commons/contracts'
import { VerifiedBadge } from '../../components/cards.tsx'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { ListingPrivateDetailsForm } from '../../components/private-forms.tsx'
import { api, auth } from '../../lib/api.ts'
import { formatMoney, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'

import { BookingPanel } from './booking-panel.tsx'
import { Facts } from './facts.tsx'
import { ListingRatings } from './listing-ratings.tsx'
import type { Listing } from './types.ts'

/**
 * On phones the booking panel sits below the description and facts: a bar kept at the bottom of the
 * screen says the price and takes the person to the date strip in one tap.
 */
function BookBar({ listing }: { listing: Listing }) {
  const t = useT()
  const p = listing.pricing
  const price =
    p.model === 'fee'
      ? `${formatMoney(p.price.amount, p.price.currency)}${t(p.unit === 'hour' ? 'price.perHour' : 'price.perBooking')}`
      : t('book.barFree')
  return (
    <aside class="book-bar" aria-label={t('book.barLabel')}>
      <span class="book-bar-price">{price}</span>
      <button
        type="button"
        class="btn btn-primary"
        onClick={() => {
          const card = document.getElementById('book-title')
          card?.scrollIntoView({ behavior: 'smooth', block: 'start' })
          const target = document.querySelector<HTMLElement>('.date-chip[aria-pressed="true"]') ?? card
          target?.focus({ preventScroll: true })
        }}
      >
        {t('book.bookNow')}
      </button>
    </aside>
  )
}

export default function ListingPage({ id }: { id: string }) {
  const t = useT()
  const me = useStore(auth)
  const listing = useLoad(async () => must(await api.GET('/v1/listings/{id}', { params: { path: { id } } })), [id])
  const org = useLoad(
    async () =>
      listing.data
        ? must(await api.GET('/v1/organizations/{id}', { params: { path: { id: listing.data.organizationId } } }))
        : undefined,
    [listing.data?.organizationId],
  )
  useLoad(async () => {
    if (me.status === 'signed-in') await api.POST('/v1/views', { body: { listingId: id } })
  }, [id, me.status])

  if (listing.loading && !listing.data) return <Loading />
  if (!listing.data) return <ErrorNote>{t('listing.notFound')}</ErrorNote>
  const l = listing.data
  const mine = me.memberships.some((m) => m.organizationId === l.organizationId)
  const manages = me.memberships.some(
    (m) => m.organizationId === l.organizationId && (m.role === 'owner' || m.role === 'admin'),
  )
  return (
    <article class="listing-page">
      <p class="card-kind">{tEnum('kind', l.kind)}</p>
      <PageTitle title={l.title}>{l.title}</PageTitle>
      {l.status !== 'published' && <p class="badge">{tEnum('status', l.status)}</p>}
      {mine && (
        <p>
          <Link href={`/listings/${l.id}/edit`} class="btn">
            {t('listing.edit')}
          </Link>
        </p>
      )}
      {manages && <ListingPrivateDetailsForm listingId={l.id} />}
      {l.photos.length > 0 && (
        // A row that scrolls sideways on a phone: focusable so a keyboard can scroll it too.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus (WCAG 2.1.1)
        <ul class="photos" tabIndex={0} aria-label={t('photos.label')}>
          {l.photos.map((photo, i) => (
            <li key={photo.id}>
              <img
                src={photoUrl(photo.id, 'page')}
                alt={photo.alt || t('listing.photoN', { n: i + 1, title: l.title })}
                loading={i === 0 ? 'eager' : 'lazy'}
              />
            </li>
          ))}
        </ul>
      )}
      <div class="listing-layout">
        <div>
          {l.description && <p class="description">{l.description}</p>}
          {l.tags.length > 0 && (
            <ul class="tags" aria-label={t('listing.tags')}>
              {l.tags.map((tag) => (
                <li key={tag}>{tag}</li>
              ))}
            </ul>
          )}
          <h2>{t('listing.facts')}</h2>
          <Facts listing={l} />
          <h2>{t('listing.org')}</h2>
          {org.data ? (
            <div class="card">
              <p class="card-title">
                <Link href={`/profiles/${org.data.id}`}>{org.data.name}</Link> {org.data.verified && <VerifiedBadge />}
              </p>
              <p>
                {tEnum('orgKind', org.data.kind)} · {org.data.city} {org.data.district}
              </p>
              {org.data.description && <p>{org.data.description}</p>}
            </div>
          ) : (
            <Loading />
          )}
          <ListingRatings listingId={l.id} />
        </div>
        <section class="card booking-card" aria-labelledby="book-title">
          <h2 id="book-title">{t('book.title')}</h2>
          {l.status === 'published' ? <BookingPanel listing={l} /> : <p>{t('book.notPublished')}</p>}
        </section>
      </div>
      {l.status === 'published' && <BookBar listing={l} />}
    </article>
  )
}
