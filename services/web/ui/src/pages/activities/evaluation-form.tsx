import { EVALUATION_DIMENSIONS, type EvaluationDirection } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'

/**
 * One evaluation of a held activity in one direction (三向互评): an overall score, the direction's
 * dimensions, an optional comment. Once sent it is hidden until the window closes or every party spoke.
 */
export function EvaluationForm({
  activityId,
  direction,
  subjectUserId,
  subjectName,
}: {
  activityId: string
  direction: EvaluationDirection
  subjectUserId?: string
  subjectName?: string
}) {
  const t = useT()
  const dims = EVALUATION_DIMENSIONS[direction]
  const [score, setScore] = useState(0)
  const [values, setValues] = useState<Record<string, number>>({})
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState(false)
  const key = `${activityId}-${direction}-${subjectUserId ?? 'host'}`
  const title = subjectName
    ? t('evaluation.titleFor', { direction: tEnum('evaluationDirection', direction), name: subjectName })
    : tEnum('evaluationDirection', direction)
  if (sent)
    return (
      <p class="notice notice-ok" role="status">
        {t('evaluation.sent', { title })}
      </p>
    )
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!score) return setError(t('rate.pickScore'))
    setError(undefined)
    setBusy(true)
    const res = await api.POST('/v1/evaluations', {
      body: {
        activityId,
        direction,
        ...(subjectUserId ? { subjectUserId } : {}),
        score,
        dimensions: values,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      },
    })
    setBusy(false)
    const failed = problemOf(res)
    if (failed?.code === 'already_evaluated') return setSent(true)
    if (failed) return setProblem(failed)
    setSent(true)
  }
  const scale = (name: string, legend: string, value: number, set: (n: number) => void, err?: string) => (
    <fieldset
      class={`score-field${err ? ' has-error' : ''}`}
      aria-describedby={err ? `${key}-${name}-error` : undefined}
    >
      <legend>{legend}</legend>
      <div class="score-options">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n}>
            <input type="radio" name={`${key}-${name}`} value={n} checked={value === n} onChange={() => set(n)} />
            <span>{n}</span>
          </label>
        ))}
      </div>
      {err && (
        <p class="field-error" id={`${key}-${name}-error`}>
          {err}
        </p>
      )}
    </fieldset>
  )
  return (
    <form class="rate-form" aria-label={title} onSubmit={submit} noValidate>
      <h3>{title}</h3>
      {scale('score', t('rate.score'), score, setScore, error)}
      {dims.map((d) =>
        scale(d, tEnum('evaluationDimension', d), values[d] ?? 0, (n) => setValues((v) => ({ ...v, [d]: n }))),
      )}
      <Field id={`${key}-comment`} label={t('rate.comment')}>
        {(a) => (
          <textarea
            {...a}
            maxLength={1000}
            value={comment}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
        {busy ? t('common.sending') : t('evaluation.submit')}
      </button>
    </form>
  )
}
