import { useState } from 'preact/hooks'
import { ListingCard } from '../../components/cards.tsx'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { api, auth, type Problem, problemText } from '../../lib/api.ts'
import { formatDateTime, formatMoney, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'

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

/** The conversations API as messaging serves it (not in this client's generated paths yet). */
type ConversationsApi = {
  POST(
    path: '/v1/conversations',
    init: { body: { subject: { type: 'need'; id: string }; organizationId: string } },
  ): Promise<{ data?: { id: string }; error?: unknown }>
}

/**
 * 联系需求方: opens (or reopens: the call is idempotent) the conversation between the group that posted
 * the need and the member's organization, which offers to help.
 */
function ContactPoster({ need }: { need: Need }) {
  const t = useT()
  const me = useStore(auth)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const mine = me.memberships.filter((m) => m.organizationId !== need.organizationId)
  const [orgId, setOrgId] = useState(mine[0]?.organizationId ?? '')
  if (me.status !== 'signed-in' || mine.length === 0 || need.status !== 'open') return null
  const contact = async () => {
    setBusy(true)
    const res = await (api as unknown as ConversationsApi).POST('/v1/conversations', {
      body: { subject: { type: 'need', id: need.id }, organizationId: orgId },
    })
    setBusy(false)
    if (res.data) return navigate(`/conversations/${res.data.id}`)
    setProblem(res.error as Problem)
  }
  return (
    <div class="contact-poster">
      {mine.length > 1 && (
        <label>
          {t('needs.contactAs')}{' '}
          <select value={orgId} onChange={(e) => setOrgId((e.target as HTMLSelectElement).value)}>
            {mine.map((m) => (
              <option key={m.organizationId} value={m.organizationId}>
                {m.organizationName}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" class="btn btn-primary" disabled={busy} aria-busy={busy} onClick={contact}>
        {t('needs.contact')}
      </button>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
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
      {need.organizationName && (
        <p class="note">
          {t('needs.postedBy')} <Link href={`/profiles/${need.organizationId}`}>{need.organizationName}</Link>
        </p>
      )}
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
      <ContactPoster need={need} />
    </li>
  )
}
