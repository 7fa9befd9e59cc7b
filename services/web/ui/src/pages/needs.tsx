import type { Schema } from '@commons/client'
import { CreateNeedBody, ListingKind } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { api, auth, fieldErrorsOf, type Problem, problemOf, problemText } from '../lib/api.ts'
import { ListingCard } from '../lib/cards.tsx'
import { formatDateTime, formatMoney, tEnum, useT } from '../lib/i18n.ts'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { Empty, ErrorNote, Field, Loading, must, PageTitle, useLoad } from '../lib/ui.tsx'
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

function NeedItem({ need }: { need: Need }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  return (
    <li class="card">
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
    city: '上海市',
    district: '',
    start: '',
    end: '',
    attendees: '',
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
        <Field id="n-attendees" label={t('book.attendees')} error={errors.attendees}>
          {(a) => <input {...a} type="number" min={1} value={v.attendees} onInput={set('attendees')} />}
        </Field>
        {problem && !problem.errors && <ErrorNote>{problemText(problem)}</ErrorNote>}
        <button type="submit" class="btn btn-primary">
          {t('needs.postSubmit')}
        </button>
      </form>
    </details>
  )
}

export default function NeedsPage() {
  const t = useT()
  const me = useStore(auth)
  const needs = useLoad(async () => must(await api.GET('/v1/needs', { params: { query: { limit: 50 } } })), [])
  return (
    <>
      <PageTitle title={t('needs.title')}>{t('needs.title')}</PageTitle>
      <p class="lead">{t('needs.lead')}</p>
      {me.status === 'signed-in' ? (
        <PostNeed onPosted={needs.reload} />
      ) : (
        <p>
          <Link href="/signin">{t('needs.signInToPost')}</Link>
        </p>
      )}
      {needs.loading && !needs.data && <Loading />}
      {needs.error !== undefined && <ErrorNote>{t('needs.error')}</ErrorNote>}
      {needs.data && needs.data.items.length === 0 && <Empty title={t('needs.empty')} />}
      {needs.data && needs.data.items.length > 0 && (
        <ul class="card-list">
          {needs.data.items.map((n) => (
            <NeedItem key={n.id} need={n} />
          ))}
        </ul>
      )}
    </>
  )
}
