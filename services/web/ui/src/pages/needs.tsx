import type { Schema } from '@commons/client'
import { CreateNeedBody, ListingKind } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { api, auth, fieldErrorsOf, type Problem, problemOf, problemText } from '../lib/api.ts'
import { ListingCard } from '../lib/cards.tsx'
import { formatDateTime, formatMoney, tEnum, useT } from '../lib/i18n.ts'
import { Link, navigate, useQuery } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { Empty, ErrorNote, Field, Loading, MoreButton, must, PageTitle, useLoad, usePages } from '../lib/ui.tsx'
import { validate } from '../lib/validate.ts'

type Need = Schema<'Need'>

/** `2026-11-28T09:00` from a datetime-local input, as an instant in China Standard Time. */
const toInstant = (local: string) => (local ? `${local}:00+08:00` : '')

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

function NeedItem({ need, fits }: { need: Need; fits?: Array<{ id: string; title: string }> }) {
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

function PostNeed({ onPosted }: { onPosted: () => void }) {
  const t = useT()
  const me = useStore(auth)
  const [v, setV] = useState({
    organizationId: me.memberships[0]?.organizationId ?? '',
    kind: 'venue',
    title: '',
    description: '',
    city: '上海',
    district: '',
    start: '',
    end: '',
    attendees: '',
    budgetYuan: '',
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const set = (name: keyof typeof v) => (e: Event) =>
    setV((s) => ({ ...s, [name]: (e.target as HTMLInputElement).value }))
  const submit = async (event: Event) => {
    event.preventDefault()
    const body = {
      organizationId: v.organizationId || me.memberships[0]?.organizationId,
      kind: v.kind,
      title: v.title,
      description: v.description,
      city: v.city,
      district: v.district,
      window: { start: toInstant(v.start), end: toInstant(v.end) },
      ...(v.attendees ? { attendees: Number(v.attendees) } : {}),
      ...(v.budgetYuan.trim() ? { budget: { amount: Math.round(Number(v.budgetYuan) * 100), currency: 'CNY' } } : {}),
    }
    const checked = validate(CreateNeedBody, body)
    if (checked.errors) return setErrors(checked.errors)
    setErrors({})
    const res = await api.POST('/v1/needs', { body: checked.data })
    if (problemOf(res)) {
      setProblem(problemOf(res))
      setErrors(fieldErrorsOf(problemOf(res)))
      return
    }
    setProblem(undefined)
    setV((s) => ({ ...s, title: '', description: '' }))
    onPosted()
  }
  if (me.memberships.length === 0) return null
  return (
    <details class="card">
      <summary>{t('needs.post')}</summary>
      <form class="form" onSubmit={submit} noValidate>
        <Field id="n-organizationId" label={t('book.org')}>
          {(a) => (
            <select {...a} value={v.organizationId} onChange={set('organizationId')}>
              {me.memberships.map((m) => (
                <option key={m.organizationId} value={m.organizationId}>
                  {m.organizationName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="n-kind" label={t('form.kind')}>
          {(a) => (
            <select {...a} value={v.kind} onChange={set('kind')}>
              {ListingKind.options.map((k) => (
                <option key={k} value={k}>
                  {tEnum('kind', k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="n-title" label={t('form.title')} error={errors.title}>
          {(a) => <input {...a} value={v.title} onInput={set('title')} />}
        </Field>
        <Field id="n-description" label={t('form.description')} error={errors.description}>
          {(a) => <textarea {...a} value={v.description} onInput={set('description')} />}
        </Field>
        <div class="row">
          <Field id="n-city" label={t('orgs.city')} error={errors.city}>
            {(a) => <input {...a} value={v.city} onInput={set('city')} />}
          </Field>
          <Field id="n-district" label={t('orgs.district')} error={errors.district}>
            {(a) => <input {...a} value={v.district} onInput={set('district')} />}
          </Field>
        </div>
        <div class="row">
          <Field id="n-start" label={t('needs.from')} error={errors['window.start']}>
            {(a) => <input {...a} type="datetime-local" value={v.start} onInput={set('start')} />}
          </Field>
          <Field id="n-end" label={t('needs.to')} error={errors['window.end']}>
            {(a) => <input {...a} type="datetime-local" value={v.end} onInput={set('end')} />}
          </Field>
        </div>
        <div class="row">
          <Field id="n-attendees" label={t('book.attendees')} error={errors.attendees}>
            {(a) => <input {...a} type="number" min={1} value={v.attendees} onInput={set('attendees')} />}
          </Field>
          <Field
            id="n-budget"
            label={t('needs.budgetYuan')}
            hint={t('needs.budgetHint')}
            error={errors['budget.amount'] ?? errors.budget}
          >
            {(a) => <input {...a} type="number" min={0} step="0.01" value={v.budgetYuan} onInput={set('budgetYuan')} />}
          </Field>
        </div>
        {problem && !problem.errors && <ErrorNote>{problemText(problem)}</ErrorNote>}
        <button type="submit" class="btn btn-primary">
          {t('needs.postSubmit')}
        </button>
      </form>
    </details>
  )
}

/** Listings a provider can offer: the published ones of every organization the member belongs to. */
const MAX_OWN_LISTINGS = 40

/**
 * Open needs that the member's organizations' published listings fit, each with the listings that fit it,
 * by discovery's matching (kind, district, capacity, budget, free in the need's window).
 */
function FitsMyListings() {
  const t = useT()
  const me = useStore(auth)
  const fits = useLoad(async () => {
    const own: Array<{ id: string; title: string }> = []
    for (const m of me.memberships) {
      const page = must(
        await api.GET('/v1/organizations/{id}/listings', {
          params: { path: { id: m.organizationId }, query: { status: 'published', limit: MAX_OWN_LISTINGS } },
        }),
      )
      own.push(...page.items.map((l) => ({ id: l.id, title: l.title })))
    }
    const byNeed = new Map<string, { need: Need; listings: Array<{ id: string; title: string }> }>()
    const answers = await Promise.all(
      own.slice(0, MAX_OWN_LISTINGS).map(async (l) => ({
        listing: l,
        needs: must(await api.GET('/v1/matches/listings/{id}', { params: { path: { id: l.id } } })).items,
      })),
    )
    for (const { listing, needs } of answers)
      for (const need of needs) {
        const entry = byNeed.get(need.id) ?? { need, listings: [] }
        entry.listings.push(listing)
        byNeed.set(need.id, entry)
      }
    return { own: own.length, matches: [...byNeed.values()] }
  }, [me.memberships.map((m) => m.organizationId).join()])
  if (fits.loading && !fits.data) return <Loading />
  if (fits.error !== undefined) return <ErrorNote>{problemText(fits.error)}</ErrorNote>
  if (!fits.data || fits.data.own === 0)
    return (
      <Empty title={t('needs.noOwnListings')}>
        <Link href="/orgs" class="btn">
          {t('nav.orgs')}
        </Link>
      </Empty>
    )
  if (fits.data.matches.length === 0) return <Empty title={t('needs.noFits')} />
  return (
    <ul class="card-list">
      {fits.data.matches.map(({ need, listings }) => (
        <NeedItem key={need.id} need={need} fits={listings} />
      ))}
    </ul>
  )
}

function AllNeeds({ posted }: { posted: number }) {
  const t = useT()
  const needs = usePages(
    async (cursor) =>
      must(await api.GET('/v1/needs', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [posted],
  )
  if (needs.loading && !needs.loaded) return <Loading />
  if (needs.error !== undefined && !needs.loaded) return <ErrorNote>{t('needs.error')}</ErrorNote>
  if (needs.items.length === 0) return <Empty title={t('needs.empty')} />
  return (
    <>
      <ul class="card-list">
        {needs.items.map((n) => (
          <NeedItem key={n.id} need={n} />
        ))}
      </ul>
      <MoreButton pages={needs} />
    </>
  )
}

export default function NeedsPage() {
  const t = useT()
  const me = useStore(auth)
  const view = useQuery().get('view') === 'fits' && me.status === 'signed-in' ? 'fits' : 'all'
  // Bumped when the member posts a need, so the list reloads with it on top.
  const [posted, setPosted] = useState(0)
  return (
    <>
      <PageTitle title={t('needs.title')}>{t('needs.title')}</PageTitle>
      <p class="lead">{t('needs.lead')}</p>
      {me.status === 'signed-in' ? (
        <PostNeed
          onPosted={() => {
            setPosted((n) => n + 1)
            if (view !== 'all') navigate('/needs')
          }}
        />
      ) : (
        <p>
          <Link href="/signin">{t('needs.signInToPost')}</Link>
        </p>
      )}
      {me.status === 'signed-in' && (
        <nav class="tabs" aria-label={t('needs.views')}>
          <Link href="/needs" class="tab" aria-current={view === 'all' ? 'page' : undefined}>
            {t('needs.tabAll')}
          </Link>
          <Link href="/needs?view=fits" class="tab" aria-current={view === 'fits' ? 'page' : undefined}>
            {t('needs.tabFits')}
          </Link>
        </nav>
      )}
      {view === 'fits' ? <FitsMyListings /> : <AllNeeds posted={posted} />}
    </>
  )
}
