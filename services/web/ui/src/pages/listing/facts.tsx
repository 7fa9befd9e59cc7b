import { formatMoney, tEnum, useT } from '../../lib/i18n.ts'

import type { Listing } from './types.ts'

export function Facts({ listing }: { listing: Listing }) {
  const t = useT()
  const rows: Array<[string, string]> = [[t('listing.kind'), tEnum('kind', listing.kind)]]
  if (listing.kind === 'venue') {
    rows.push([t('listing.capacity'), t('listing.capacityN', { n: listing.capacity })])
    if (listing.areaSqm) rows.push([t('listing.area'), `${listing.areaSqm} m²`])
    if (listing.amenities.length)
      rows.push([t('listing.amenities'), listing.amenities.map((a) => tEnum('amenity', a)).join('、')])
  } else if (listing.kind === 'expertise') {
    rows.push([t('listing.topics'), listing.topics.join('、')])
    rows.push([t('listing.formats'), listing.formats.map((f) => tEnum('format', f)).join('、')])
    rows.push([t('listing.delivery'), tEnum('delivery', listing.delivery)])
  } else {
    rows.push([t('listing.skills'), listing.skills.join('、')])
    if (listing.monthlyHourCap) rows.push([t('listing.hourCap'), String(listing.monthlyHourCap)])
  }
  const place = [listing.location.city, listing.location.district, listing.location.address].filter(Boolean).join(' ')
  rows.push([t('listing.location'), place])
  const p = listing.pricing
  rows.push([
    t('listing.price'),
    p.model === 'free'
      ? t('price.free')
      : `${formatMoney(p.price.amount, p.price.currency)} ${p.unit === 'hour' ? t('price.perHour') : t('price.perBooking')}`,
  ])
  if (p.deposit) rows.push([t('listing.deposit'), formatMoney(p.deposit.amount, p.deposit.currency)])
  rows.push([t('listing.mode'), tEnum('mode', listing.rules.mode)])
  rows.push([t('listing.cancellation'), tEnum('policy', listing.rules.cancellationPolicy)])
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  )
}

/** Consecutive free slots starting at `index`, as long as the listing's maximum duration allows. */
