import { useState } from 'preact/hooks'
import { ListingCard } from '../../components/cards.tsx'
import { Loading } from '../../components/feedback.tsx'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'

import type { Need } from './types.ts'

function Matches({ need }: { need: Need }) {
  const t = useT()
  const matches = useLoad(
    async () => must(await api.GET('/v1/matches/needs/{id}', { params: { path: { id: need.id } } })),
    [need.id],
  )
  if (matches.loading) return <Loading />
  if (!matches.data || matches.data.items.length === 0) return <p>{t('needs.noMatches')}</p>
  return (
    <div class="card-grid">
      {matches.data.items.map((hit) => (
        <ListingCard key={hit.id} hit={hit} />
      ))}
    </div>
  )
}

export function NeedItem({ need, fits }: { need: Need; fits?: Array<{ id: string; title: string }> }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  return (
    <li class="card">
      {fits && (
        <p class="badge-line">
          {t('needs.fitsWith')}{' '}
          {fits.map((l, i) => (
            <span key={l.id}>
              {i > 0 && '、'}
              <Link href={`/listings/${l.id}`}>{l.title}</Link>
            </span>
          ))}
        </p>
      )}
      <p class="card-kind">{tEnum('kind', need.kind)}</p>
      <h2 class="card-title">{need.title}</h2>
      {need.description && <p>{need.description}</p>}
      <ul class="card-facts">
        <li>
          {need.city} {need.district}
        </li>
        <li>
          {formatDateTime(need.window.start)} – {formatDateTime(need.window.end)}
        </li>
        {need.attendees && <li>{t('listing.capacityN', { n: need.attendees })}</li>}
        <li>
          {need.budget
            ? t('needs.budget', { amount: formatMoney(need.budget.amount, need.budget.currency) })
            : t('needs.freeOnly')}
        </li>
      </ul>
      <button type="button" class="btn" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('needs.hideMatches') : t('needs.showMatches')}
      </button>
      {open && <Matches need={need} />}
    </li>
  )
}
