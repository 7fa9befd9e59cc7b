import type { Schema } from '@commons/client'
import { ActivityCategory, ListingKind, SurveyActivityBody, SurveyNeedBody, TargetGroup } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, fieldErrorsOf, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { validate } from '../../lib/validate.ts'
import { fromLocalInput, localInput } from './times.ts'

type QuestionResult = Schema<'QuestionResult'>
type OptionResult = Schema<'OptionResult'>
type Kind = Schema<'ListingKind'>

export interface Picked {
  question: QuestionResult
  option: OptionResult
  category: Kind | undefined
}

const DAY = 86_400_000
const HOUR = 3_600_000

/**
 * 14:00 Asia/Shanghai a week from now. A need's window is the time it needs the resource for, and
 * matching looks for listings bookable across all of it (as a booking of that length), so the default is
 * one afternoon session, not a span of weeks that no listing's maximum booking length can cover.
 */
function afternoonInAWeek(now: number): Date {
  const day = localInput(new Date(now + 7 * DAY)).slice(0, 10)
  return new Date(fromLocalInput(`${day}T14:00`))
}

/** Raw form values; every field is a string as the inputs give it. */
function useForm<T extends Record<string, string>>(initial: T) {
  const [v, setV] = useState(initial)
  const bind = (name: keyof T & string) => ({
    value: v[name],
    onInput: (e: Event) => setV((s) => ({ ...s, [name]: (e.target as HTMLInputElement).value })),
    onChange: (e: Event) => setV((s) => ({ ...s, [name]: (e.target as HTMLInputElement).value })),
  })
  return { v, bind }
}

const errorsOf = (errors: Record<string, string>, prefix: string) =>
  Object.fromEntries(Object.entries(errors).map(([k, m]) => [k.replace(prefix, ''), m]))

/** Turns a chosen result into a need on the needs board, linked to the survey. */
export function NeedForm({ surveyId, picked, onClose }: { surveyId: string; picked: Picked; onClose: () => void }) {
  const t = useT()
  const start = afternoonInAWeek(Date.now())
  const { v, bind } = useForm({
    kind: (picked.category ?? 'expertise') as string,
    title: picked.option.label,
    description: '',
    city: '上海',
    district: '',
    start: localInput(start),
    end: localInput(new Date(start.getTime() + 2 * HOUR)),
    attendees: String(picked.option.count ?? ''),
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const [made, setMade] = useState<Schema<'SurveyNeed'> | undefined>()
  const submit = async (event: Event) => {
    event.preventDefault()
    const checked = validate(SurveyNeedBody, {
      questionId: picked.question.questionId,
      optionId: picked.option.id,
      need: {
        kind: v.kind,
        title: v.title,
        description: v.description,
        city: v.city,
        district: v.district,
        window: { start: fromLocalInput(v.start), end: fromLocalInput(v.end) },
        ...(Number(v.attendees) > 0 ? { attendees: Number(v.attendees) } : {}),
      },
    })
    if (checked.errors) return setErrors(errorsOf(checked.errors, 'need.'))
    setErrors({})
    setBusy(true)
    const res = await api.POST('/v1/surveys/{id}/needs', { params: { path: { id: surveyId } }, body: checked.data })
    setBusy(false)
    if (res.data) return setMade(res.data)
    setProblem(problemOf(res))
    setErrors(errorsOf(fieldErrorsOf(problemOf(res)), 'need.'))
  }
  if (made)
    return (
      <div class="card notice-ok" role="status">
        <p>{t('survey.needRaised')}</p>
        <p class="hint">{made.evidence}</p>
        <p>
          <Link href="/needs">{t('survey.toNeeds')}</Link>
        </p>
        <button type="button" class="btn btn-quiet" onClick={onClose}>
          {t('survey.close')}
        </button>
      </div>
    )
  return (
    <form class="form card raise-form" onSubmit={submit} noValidate aria-labelledby="need-form-title">
      <h3 id="need-form-title">{t('survey.needFormTitle', { option: picked.option.label })}</h3>
      <Field id="n-kind" label={t('survey.needKind')} error={errors.kind}>
        {(a) => (
          <select {...a} {...bind('kind')}>
            {ListingKind.options.map((k) => (
              <option key={k} value={k}>
                {tEnum('kind', k)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="n-title" label={t('survey.needTitle')} error={errors.title}>
        {(a) => <input {...a} {...bind('title')} />}
      </Field>
      <Field id="n-description" label={t('survey.description')} error={errors.description}>
        {(a) => <textarea {...a} rows={2} {...bind('description')} />}
      </Field>
      <div class="row">
        <Field id="n-city" label={t('survey.city')} error={errors.city}>
          {(a) => <input {...a} {...bind('city')} />}
        </Field>
        <Field id="n-district" label={t('survey.district')} error={errors.district}>
          {(a) => <input {...a} {...bind('district')} />}
        </Field>
      </div>
      <div class="row">
        <Field id="n-start" label={t('survey.needFrom')} error={errors['window.start']}>
          {(a) => <input {...a} type="datetime-local" {...bind('start')} />}
        </Field>
        <Field id="n-end" label={t('survey.needTo')} error={errors['window.end']}>
          {(a) => <input {...a} type="datetime-local" {...bind('end')} />}
        </Field>
      </div>
      <Field id="n-attendees" label={t('survey.attendees')} error={errors.attendees}>
        {(a) => <input {...a} type="number" min={1} inputMode="numeric" {...bind('attendees')} />}
      </Field>
      {problem && !problem.errors && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('survey.raiseNeed')}
        </button>
        <button type="button" class="btn btn-quiet" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

/** Turns a chosen result into a draft activity of the survey's organization. */
export function ActivityForm({ surveyId, picked, onClose }: { surveyId: string; picked: Picked; onClose: () => void }) {
  const t = useT()
  const now = Date.now()
  const { v, bind } = useForm({
    title: picked.option.label,
    category: 'training' as string,
    targetGroup: 'residents' as string,
    start: localInput(new Date(now + 14 * DAY)),
    end: localInput(new Date(now + 14 * DAY + 2 * HOUR)),
    district: '',
    address: '',
    capacity: String(Math.max(picked.option.count ?? 20, 10)),
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const [made, setMade] = useState<Schema<'SurveyActivity'> | undefined>()
  const submit = async (event: Event) => {
    event.preventDefault()
    const start = fromLocalInput(v.start)
    const checked = validate(SurveyActivityBody, {
      questionId: picked.question.questionId,
      optionId: picked.option.id,
      activity: {
        title: v.title,
        category: v.category,
        targetGroups: [v.targetGroup],
        start,
        end: fromLocalInput(v.end),
        signUpDeadline: start,
        place: { kind: 'address', district: v.district, address: v.address },
        capacity: Number(v.capacity),
      },
    })
    if (checked.errors) return setErrors(errorsOf(checked.errors, 'activity.'))
    setErrors({})
    setBusy(true)
    const res = await api.POST('/v1/surveys/{id}/activities', {
      params: { path: { id: surveyId } },
      body: checked.data,
    })
    setBusy(false)
    if (res.data) return setMade(res.data)
    setProblem(problemOf(res))
    setErrors(errorsOf(fieldErrorsOf(problemOf(res)), 'activity.'))
  }
  if (made)
    return (
      <div class="card notice-ok" role="status">
        <p>{t('survey.activityDrafted', { title: made.activity.title })}</p>
        <p class="hint">{made.evidence}</p>
        <p>
          <Link href={`/activities/${made.activity.id}`}>{t('survey.toActivity')}</Link>
        </p>
        <button type="button" class="btn btn-quiet" onClick={onClose}>
          {t('survey.close')}
        </button>
      </div>
    )
  return (
    <form class="form card raise-form" onSubmit={submit} noValidate aria-labelledby="activity-form-title">
      <h3 id="activity-form-title">{t('survey.activityFormTitle', { option: picked.option.label })}</h3>
      <Field id="ad-title" label={t('survey.activityTitle')} error={errors.title}>
        {(a) => <input {...a} {...bind('title')} />}
      </Field>
      <div class="row">
        <Field id="ad-category" label={t('survey.activityCategory')} error={errors.category}>
          {(a) => (
            <select {...a} {...bind('category')}>
              {ActivityCategory.options.map((c) => (
                <option key={c} value={c}>
                  {tEnum('surveyPlan.category', c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="ad-group" label={t('survey.activityGroup')} error={errors.targetGroups}>
          {(a) => (
            <select {...a} {...bind('targetGroup')}>
              {TargetGroup.options.map((g) => (
                <option key={g} value={g}>
                  {tEnum('surveyPlan.group', g)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div class="row">
        <Field id="ad-start" label={t('survey.activityStart')} error={errors.start}>
          {(a) => <input {...a} type="datetime-local" {...bind('start')} />}
        </Field>
        <Field id="ad-end" label={t('survey.activityEnd')} error={errors.end}>
          {(a) => <input {...a} type="datetime-local" {...bind('end')} />}
        </Field>
      </div>
      <div class="row">
        <Field id="ad-district" label={t('survey.district')} error={errors['place.district']}>
          {(a) => <input {...a} {...bind('district')} />}
        </Field>
        <Field id="ad-address" label={t('survey.address')} error={errors['place.address']}>
          {(a) => <input {...a} {...bind('address')} />}
        </Field>
      </div>
      <Field id="ad-capacity" label={t('survey.capacity')} error={errors.capacity}>
        {(a) => <input {...a} type="number" min={1} inputMode="numeric" {...bind('capacity')} />}
      </Field>
      {problem && !problem.errors && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('survey.draftActivity')}
        </button>
        <button type="button" class="btn btn-quiet" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
