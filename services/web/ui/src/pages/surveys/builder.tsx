import type { Schema } from '@commons/client'
import { ListingKind, QuestionType } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { api, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { navigate } from '../../lib/router.tsx'
import { fromLocalInput, localInput } from './times.ts'

type QuestionInput = Schema<'QuestionInput'>
type Role = '' | 'target_group' | 'district'

interface DraftOption {
  label: string
  category: '' | Schema<'ListingKind'>
}
interface DraftQuestion {
  type: QuestionInput['type']
  title: string
  required: boolean
  role: Role
  options: DraftOption[]
}

const isChoice = (q: DraftQuestion) => q.type === 'single' || q.type === 'multiple'
const blank = (): DraftQuestion => ({
  type: 'single',
  title: '',
  required: false,
  role: '',
  options: [
    { label: '', category: '' },
    { label: '', category: '' },
  ],
})

/** The builder's questions as the API takes them: keys q1, q2… and o1, o2…; empty option rows dropped. */
export function toQuestions(drafts: DraftQuestion[]): QuestionInput[] {
  return drafts.map((q, i) => ({
    id: `q${i + 1}`,
    type: q.role ? 'single' : q.type,
    title: q.title.trim(),
    required: q.required,
    ...(q.role ? { role: q.role } : {}),
    options: isChoice(q)
      ? q.options
          .filter((o) => o.label.trim())
          .map((o, j) => ({ id: `o${j + 1}`, label: o.label.trim(), ...(o.category ? { category: o.category } : {}) }))
      : [],
  }))
}

function OptionRows({ q, update }: { q: DraftQuestion; update: (q: DraftQuestion) => void }) {
  const t = useT()
  const setOption = (oi: number, change: Partial<DraftOption>) =>
    update({ ...q, options: q.options.map((o, j) => (j === oi ? { ...o, ...change } : o)) })
  return (
    <fieldset class="option-rows">
      <legend>{t('survey.options')}</legend>
      {q.options.map((o, oi) => (
        <div class="option-row" key={oi}>
          <label>
            <span class="visually-hidden">{t('survey.optionLabel', { n: oi + 1 })}</span>
            <input
              value={o.label}
              placeholder={t('survey.optionLabel', { n: oi + 1 })}
              onInput={(e) => setOption(oi, { label: (e.target as HTMLInputElement).value })}
            />
          </label>
          {!q.role && (
            <label>
              <span class="visually-hidden">{t('survey.optionCategory', { n: oi + 1 })}</span>
              <select
                value={o.category}
                onChange={(e) =>
                  setOption(oi, { category: (e.target as HTMLSelectElement).value as DraftOption['category'] })
                }
              >
                <option value="">{t('survey.noCategory')}</option>
                {ListingKind.options.map((k) => (
                  <option key={k} value={k}>
                    {tEnum('kind', k)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      ))}
      <button
        type="button"
        class="btn btn-quiet btn-small"
        onClick={() => update({ ...q, options: [...q.options, { label: '', category: '' }] })}
      >
        {t('survey.addOption')}
      </button>
      {q.type === 'single' && !q.role && <p class="hint">{t('survey.categoryHint')}</p>}
    </fieldset>
  )
}

function QuestionEditor({
  q,
  qi,
  update,
  remove,
}: {
  q: DraftQuestion
  qi: number
  update: (q: DraftQuestion) => void
  remove?: () => void
}) {
  const t = useT()
  const id = `q${qi + 1}`
  return (
    <li class="card question-editor">
      <Field id={`${id}-title`} label={t('survey.questionTitle', { n: qi + 1 })}>
        {(a) => (
          <input
            {...a}
            value={q.title}
            onInput={(e) => update({ ...q, title: (e.target as HTMLInputElement).value })}
          />
        )}
      </Field>
      <div class="row">
        <Field id={`${id}-type`} label={t('survey.questionType')}>
          {(a) => (
            <select
              {...a}
              value={q.role ? 'single' : q.type}
              disabled={Boolean(q.role)}
              onChange={(e) => update({ ...q, type: (e.target as HTMLSelectElement).value as DraftQuestion['type'] })}
            >
              {QuestionType.options.map((type) => (
                <option key={type} value={type}>
                  {tEnum('questionType', type)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${id}-role`} label={t('survey.questionRole')}>
          {(a) => (
            <select
              {...a}
              value={q.role}
              onChange={(e) => {
                const role = (e.target as HTMLSelectElement).value as Role
                update({ ...q, role, type: role ? 'single' : q.type })
              }}
            >
              <option value="">{t('survey.roleNone')}</option>
              <option value="target_group">{t('survey.roleTargetGroup')}</option>
              <option value="district">{t('survey.roleDistrict')}</option>
            </select>
          )}
        </Field>
      </div>
      <label class="choice">
        <input
          type="checkbox"
          checked={q.required}
          onChange={(e) => update({ ...q, required: (e.target as HTMLInputElement).checked })}
        />
        {t('survey.required')}
      </label>
      {isChoice(q) || q.role ? <OptionRows q={q} update={update} /> : null}
      {remove && (
        <button type="button" class="btn btn-quiet btn-small" onClick={remove}>
          {t('survey.removeQuestion', { n: qi + 1 })}
        </button>
      )}
    </li>
  )
}

function Builder({ orgId }: { orgId: string }) {
  const t = useT()
  const now = Date.now()
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [allowAnonymous, setAllowAnonymous] = useState(true)
  const [questions, setQuestions] = useState<DraftQuestion[]>([blank()])
  const [opensAt, setOpensAt] = useState(localInput(new Date(now)))
  const [closesAt, setClosesAt] = useState(localInput(new Date(now + 14 * 86_400_000)))
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)

  const save = async (publish: boolean) => {
    setBusy(true)
    setProblem(undefined)
    const created = await api.POST('/v1/surveys', {
      body: { organizationId: orgId, title, description, allowAnonymous, questions: toQuestions(questions) },
    })
    if (!created.data) {
      setBusy(false)
      return setProblem(problemOf(created))
    }
    const id = created.data.id
    if (publish) {
      const published = await api.POST('/v1/surveys/{id}/publish', {
        params: { path: { id } },
        body: { opensAt: fromLocalInput(opensAt), closesAt: fromLocalInput(closesAt) },
      })
      if (!published.data) {
        setBusy(false)
        // The draft is saved: carry on from its page, where publishing can be tried again.
        return navigate(`/surveys/${id}/results`)
      }
    }
    navigate(`/surveys/${id}/results`)
  }

  return (
    <section class="narrow survey-builder">
      <PageTitle title={t('survey.newTitle')}>{t('survey.newTitle')}</PageTitle>
      <form class="form" noValidate onSubmit={(e) => e.preventDefault()}>
        <Field id="s-title" label={t('survey.title')}>
          {(a) => <input {...a} value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field id="s-description" label={t('survey.description')}>
          {(a) => (
            <textarea
              {...a}
              rows={3}
              value={description}
              onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)}
            />
          )}
        </Field>
        <label class="choice">
          <input
            type="checkbox"
            checked={allowAnonymous}
            onChange={(e) => setAllowAnonymous((e.target as HTMLInputElement).checked)}
          />
          {t('survey.allowAnonymous')}
        </label>
        <h2>{t('survey.questions')}</h2>
        <ol class="question-list">
          {questions.map((q, qi) => (
            <QuestionEditor
              key={qi}
              q={q}
              qi={qi}
              update={(next) => setQuestions(questions.map((x, j) => (j === qi ? next : x)))}
              {...(questions.length > 1 ? { remove: () => setQuestions(questions.filter((_, j) => j !== qi)) } : {})}
            />
          ))}
        </ol>
        <button type="button" class="btn" onClick={() => setQuestions([...questions, blank()])}>
          {t('survey.addQuestion')}
        </button>
        <h2>{t('survey.window')}</h2>
        <div class="row">
          <Field id="s-opens" label={t('survey.opensAt')}>
            {(a) => (
              <input
                {...a}
                type="datetime-local"
                value={opensAt}
                onInput={(e) => setOpensAt((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
          <Field id="s-closes" label={t('survey.closesAt')}>
            {(a) => (
              <input
                {...a}
                type="datetime-local"
                value={closesAt}
                onInput={(e) => setClosesAt((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
        </div>
        {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
        <div class="form-actions">
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void save(true)}>
            {t('survey.publish')}
          </button>
          <button type="button" class="btn" disabled={busy} onClick={() => void save(false)}>
            {t('survey.saveDraft')}
          </button>
        </div>
      </form>
    </section>
  )
}

export default function SurveyBuilderPage({ orgId }: { orgId: string }) {
  return (
    <RequireAuth>
      <Builder orgId={orgId} />
    </RequireAuth>
  )
}
