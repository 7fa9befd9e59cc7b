import { CreateNeedBody, ListingKind } from '@commons/contracts'
import { useRef, useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, auth, fieldErrorsOf, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { useStore } from '../../lib/store.ts'
import { validate } from '../../lib/validate.ts'

import { toInstant } from './types.ts'

export function PostNeed({ onPosted }: { onPosted: (need: { id: string; title: string }) => void }) {
  const t = useT()
  const me = useStore(auth)
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  // One key per need being written: a double tap or a retry after a lost answer posts it once. A new key
  // is drawn only after a need was posted.
  const key = useRef(crypto.randomUUID())
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
    if (busy) return
    setBusy(true)
    const res = await api.POST('/v1/needs', {
      params: { header: { 'idempotency-key': key.current } },
      body: checked.data,
    })
    setBusy(false)
    if (!res.data) {
      setProblem(problemOf(res))
      setErrors(fieldErrorsOf(problemOf(res)))
      return
    }
    setProblem(undefined)
    key.current = crypto.randomUUID()
    setV((s) => ({ ...s, title: '', description: '', start: '', end: '', attendees: '', budgetYuan: '' }))
    setOpen(false)
    onPosted(res.data)
  }
  if (me.memberships.length === 0) return null
  return (
    <details class="card" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
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
        <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
          {busy ? t('common.sending') : t('needs.postSubmit')}
        </button>
      </form>
    </details>
  )
}
