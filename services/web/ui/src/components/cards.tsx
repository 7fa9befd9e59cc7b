import type { Schema } from '@commons/client'
import { formatMoney, tEnum, useT } from '../lib/i18n.ts'
import { Link } from '../lib/router.tsx'
import { Highlight } from './highlight.tsx'

export type SearchHit = Schema<'SearchHit'>
type Pricing = SearchHit['pricing']

export function PriceTag({ pricing }: { pricing: Pricing }) {
  const t = useT()
  if (pricing.model === 'free') return <span class="price price-free">{t('price.free')}</span>
  const unit = pricing.unit === 'hour' ? t('price.perHour') : t('price.perBooking')
  return (
    <span class="price">
      {formatMoney(pricing.price.amount, pricing.price.currency)}
      <span class="price-unit">{unit}</span>
    </span>
  )
}

export function VerifiedBadge() {
  const t = useT()
  return (
    <span class="badge badge-verified" title={t('org.verifiedHint')}>
      <span aria-hidden="true">✓ </span>
      {t('org.verified')}
    </span>
  )
}

/** One search result: highlighted title and snippet (rendered as text, see Highlight), facts, price. */
export function ListingCard({ hit }: { hit: SearchHit }) {
  const t = useT()
  return (
    <article class={`card listing-card${hit.coverPhoto ? ' has-cover' : ''}`}>
      {hit.coverPhoto && <img class="card-cover" src={hit.coverPhoto} alt="" loading="lazy" width={480} height={360} />}
      <p class="card-kind">{tEnum('kind', hit.kind)}</p>
      <h3 class="card-title">
        <Link href={`/listings/${hit.id}`}>
          <Highlight html={hit.highlightedTitle || hit.title} />
        </Link>
      </h3>
      {hit.snippet && (
        <p class="card-snippet">
          <Highlight html={hit.snippet} />
        </p>
      )}
      <p class="card-org">
        {hit.organization.name} {hit.organization.verified && <VerifiedBadge />}
      </p>
      <ul class="card-facts">
        <li>
          <PriceTag pricing={hit.pricing} />
        </li>
        <li>
          {hit.district}
          {hit.distanceKm !== undefined && ` · ${t('search.distance', { km: hit.distanceKm.toFixed(1) })}`}
        </li>
        {hit.capacity !== null && <li>{t('listing.capacityN', { n: hit.capacity })}</li>}
        <li>
          {hit.rating.count > 0
            ? t('listing.ratingN', { avg: hit.rating.average.toFixed(1), n: hit.rating.count })
            : t('listing.noRating')}
        </li>
      </ul>
    </article>
  )
}
