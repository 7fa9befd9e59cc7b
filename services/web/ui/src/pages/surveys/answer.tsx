import type { Schema } from '@commons/client'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { api, auth, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { formatDateTime, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { signInHref } from '../../lib/return-to.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { deviceId, solveChallenge } from './challenge.ts'

type Survey = Schema<'Survey'>
type Question = Schema<'Question'>
type Value = string | string[] | number
const SCORES = [1, 2, 3, 4, 5]

const isBlank = (v: Value | undefined) =>
  v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)

function QuestionInput({
  q,
  n,
  value,
  error,
  onChange,
}: {
  q: Question
  n: number
  value: Value | undefined
  error?: string | undefined
  onChange: (v: Value) => void
}) {
  const t = useT()
  const id = `a-${q.id}`
  const legend = (
    <legend>
      {n}. {q.title}
      {q.required && <span class="required-mark">{t('survey.requiredMark')}</span>}
    </legend>
  )
  const errorNote = error && (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  )
  const described = error ? { 'aria-describedby': `${id}-error` } : {}
  if (q.type === 'text')
    return (
      <div class={`field question${error ? ' has-error' : ''}`}>
        <label for={id}>
          {n}. {q.title}
          {q.required && <span class="required-mark">{t('survey.requiredMark')}</span>}
        </label>
        <textarea
          id={id}
          rows={3}
          maxLength={500}
          value={typeof value === 'string' ? value : ''}
          onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)}
          {...described}
        />
        {errorNote}
      </div>
    )
  if (q.type === 'scale')
    return (
      <fieldset class={`question${error ? ' has-error' : ''}`} {...described}>
        {legend}
        <div class="score-options">
          {SCORES.map((s) => (
            <label key={s}>
              <input type="radio" name={id} checked={value === s} onChange={() => onChange(s)} />
              {s}
            </label>
          ))}
        </div>
        <p class="hint">{t('survey.scaleHint')}</p>
        {errorNote}
      </fieldset>
    )
  const multiple = q.type === 'multiple'
  const chosen = Array.isArray(value) ? value : []
  return (
    <fieldset class={`question${error ? ' has-error' : ''}`} {...described}>
      {legend}
      {multiple && <p class="hint">{t('survey.multipleHint')}</p>}
      <div class="answer-options">
        {q.options.map((o) => (
          <label key={o.id} class="answer-option">
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={id}
              checked={multiple ? chosen.includes(o.id) : value === o.id}
              onChange={(e) => {
                if (!multiple) return onChange(o.id)
                const on = (e.target as HTMLInputElement).checked
                onChange(on ? [...chosen, o.id] : chosen.filter((x) => x !== o.id))
              }}
            />
            {o.label}
          </label>
        ))}
      </div>
      {errorNote}
    </fieldset>
  )
}

function AnswerForm({ survey, reload }: { survey: Survey; reload: () => void }) {
  const t = useT()
  const me = useStore(auth)
  const signedIn = me.status === 'signed-in'
  const member = me.memberships.some((m) => m.organizationId === survey.organizationId)
  const anonymous = me.status === 'signed-out'
  const [answers, setAnswers] = useState<Record<string, Value>>({})
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [onBehalf, setOnBehalf] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<Schema<'ResponseReceipt'> | undefined>()
  const solution = useRef<Promise<string> | undefined>(undefined)

  // The challenge is solved while the form is being filled in, so sending it costs no visible wait.
  useEffect(() => {
    if (!anonymous || !survey.challenge) return
    const abort = new AbortController()
    const promise = solveChallenge(survey.challenge.token, survey.challenge.bits, abort.signal)
    promise.catch(() => undefined)
    solution.current = promise
    return () => abort.abort()
  }, [anonymous, survey.challenge?.token])

  if (done)
    return (
      <div class="card survey-done" role="status">
        <p class="empty-title">{t('survey.thanks')}</p>
        {done.enteredByGridWorker && <p>{t('survey.enteredForResident')}</p>}
        {done.enteredByGridWorker && (
          <button
            type="button"
            class="btn btn-primary"
            onClick={() => {
              setAnswers({})
              setDone(undefined)
            }}
          >
            {t('survey.enterAnother')}
          </button>
        )}
      </div>
    )
  if (!survey.open) return <p class="note">{t('survey.notOpen')}</p>
  if (anonymous && !survey.allowAnonymous)
    return (
      <p>
        <Link href={signInHref(`/surveys/${survey.id}`)} class="btn btn-primary">
          {t('survey.signInToAnswer')}
        </Link>
      </p>
    )
  if (me.status === 'restoring') return <Loading />

  const submit = async (event: Event) => {
    event.preventDefault()
    const missing: Record<string, string> = {}
    for (const q of survey.questions)
      if (q.required && isBlank(answers[q.id])) missing[q.id] = t('survey.answerRequired')
    setErrors(missing)
    if (Object.keys(missing).length > 0) {
      document.getElementById(`a-${Object.keys(missing)[0]}`)?.focus()
      return
    }
    setBusy(true)
    setProblem(undefined)
    const kept = Object.fromEntries(Object.entries(answers).filter(([, v]) => !isBlank(v)))
    const body: Schema<'SubmitResponseBodyInput'> = { answers: kept, onBehalf: signedIn && member && onBehalf }
    if (anonymous && survey.challenge) {
      const solved = await (solution.current ?? solveChallenge(survey.challenge.token, survey.challenge.bits)).catch(
        () => undefined,
      )
      if (solved) {
        body.deviceId = deviceId()
        body.challenge = { token: survey.challenge.token, solution: solved }
      }
    }
    const res = await api.POST('/v1/surveys/{id}/responses', { params: { path: { id: survey.id } }, body })
    setBusy(false)
    if (res.data) {
      setDone(res.data)
      window.scrollTo(0, 0)
      // A new challenge for the next anonymous answer from another person on a shared phone.
      if (anonymous) reload()
      return
    }
    setProblem(problemOf(res))
  }

  return (
    <form class="form survey-form" onSubmit={submit} noValidate>
      {signedIn && member && (
        <label class="choice grid-worker">
          <input
            type="checkbox"
            checked={onBehalf}
            onChange={(e) => setOnBehalf((e.target as HTMLInputElement).checked)}
          />
          {t('survey.onBehalf')}
        </label>
      )}
      {survey.questions.map((q, i) => (
        <QuestionInput
          key={q.id}
          q={q}
          n={i + 1}
          value={answers[q.id]}
          error={errors[q.id]}
          onChange={(v) => {
            setAnswers({ ...answers, [q.id]: v })
            // The note goes once the question is answered, not only at the next submit.
            if (errors[q.id] && !isBlank(v)) setErrors(({ [q.id]: _, ...rest }) => rest)
          }}
        />
      ))}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('common.sending') : t('survey.submit')}
      </button>
      {anonymous && <p class="hint">{t('survey.anonymousNote')}</p>}
    </form>
  )
}

/** The public form at the survey's link: phone first, signed in, anonymous or entered by a grid worker. */
export default function SurveyAnswerPage({ id }: { id: string }) {
  const t = useT()
  const me = useStore(auth)
  const survey = useLoad(
    async () => must(await api.GET('/v1/surveys/{id}', { params: { path: { id } } })),
    [id, me.status],
  )
  if (survey.loading && !survey.data) return <Loading />
  if (!survey.data) return <ErrorNote>{t('survey.notFound')}</ErrorNote>
  const s = survey.data
  const admin = me.memberships.some(
    (m) => m.organizationId === s.organizationId && (m.role === 'owner' || m.role === 'admin'),
  )
  return (
    <section class="narrow survey-page">
      <PageTitle title={s.title}>{s.title}</PageTitle>
      <p class="lead">
        {s.organizationName}
        {s.closesAt && ` · ${t('survey.closesOn', { when: formatDateTime(s.closesAt) })}`}
      </p>
      {s.description && <p class="prewrap">{s.description}</p>}
      {admin && (
        <p>
          <Link href={`/surveys/${s.id}/results`}>{t('survey.toResults')}</Link>
        </p>
      )}
      <AnswerForm survey={s} reload={survey.reload} />
    </section>
  )
}
