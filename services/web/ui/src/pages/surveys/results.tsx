import type { Schema } from '@commons/client'
import { useState } from 'preact/hooks'
import { BarChart } from '../../components/bar-chart.tsx'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { api, auth, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { ActivityForm, NeedForm, type Picked } from './result-actions.tsx'
import { SharePanel } from './share.tsx'
import { fromLocalInput, localInput } from './times.ts'

type Survey = Schema<'Survey'>
type Results = Schema<'SurveyResults'>
type QuestionResult = Schema<'QuestionResult'>
type CrossTab = Schema<'CrossTab'>

const shown = (n: number | null) => (n === null ? '—' : String(n))
const pct = (n: number | null) => (n === null ? '—' : `${n}%`)

function PublishForm({ survey, onDone }: { survey: Survey; onDone: () => void }) {
  const t = useT()
  const [opensAt, setOpensAt] = useState(localInput(new Date()))
  const [closesAt, setClosesAt] = useState(localInput(new Date(Date.now() + 14 * 86_400_000)))
  const [problem, setProblem] = useState<Problem | undefined>()
  const publish = async (event: Event) => {
    event.preventDefault()
    const res = await api.POST('/v1/surveys/{id}/publish', {
      params: { path: { id: survey.id } },
      body: { opensAt: fromLocalInput(opensAt), closesAt: fromLocalInput(closesAt) },
    })
    if (res.data) return onDone()
    setProblem(problemOf(res))
  }
  return (
    <form class="form card" onSubmit={publish} noValidate aria-labelledby="publish-title">
      <h2 id="publish-title">{t('survey.window')}</h2>
      <div class="row">
        <Field id="p-opens" label={t('survey.opensAt')}>
          {(a) => (
            <input
              {...a}
              type="datetime-local"
              value={opensAt}
              onInput={(e) => setOpensAt((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <Field id="p-closes" label={t('survey.closesAt')}>
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
      <button type="submit" class="btn btn-primary">
        {t('survey.publish')}
      </button>
    </form>
  )
}

/** Downloads the results as CSV with the person's token (a plain link would get the public, suppressed one). */
async function downloadCsv(survey: Survey) {
  const res = await api.GET('/v1/surveys/{id}/results', {
    params: { path: { id: survey.id }, query: { format: 'csv' } },
    parseAs: 'blob',
  })
  if (!res.data) return
  const url = URL.createObjectURL(res.data as Blob)
  const a = document.createElement('a')
  a.href = url
  a.download = `survey-${survey.id}.csv`
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

function QuestionCard({
  q,
  survey,
  admin,
  onPick,
  onModerated,
}: {
  q: QuestionResult
  survey: Survey
  admin: boolean
  onPick: (picked: Picked, mode: 'need' | 'activity') => void
  onModerated: () => void
}) {
  const t = useT()
  const question = survey.questions.find((x) => x.id === q.questionId)
  const [optionId, setOptionId] = useState(q.options[0]?.id ?? '')
  const pick = (mode: 'need' | 'activity') => {
    const option = q.options.find((o) => o.id === optionId)
    if (!option) return
    const category = question?.options.find((o) => o.id === optionId)?.category
    onPick({ question: q, option, category }, mode)
  }
  const moderate = async (textId: string, status: 'approved' | 'rejected') => {
    await api.PATCH('/v1/surveys/{id}/texts/{textId}', {
      params: { path: { id: survey.id, textId } },
      body: { status },
    })
    onModerated()
  }
  const headingId = `rq-${q.questionId}`
  return (
    <section class="card question-result" aria-labelledby={headingId}>
      <h3 id={headingId}>{q.title}</h3>
      <p class="hint">
        {t('survey.answered', { n: shown(q.answered) })}
        {q.mean !== null && ` · ${t('survey.mean', { mean: q.mean })}`}
      </p>
      {q.type !== 'text' && (
        <>
          <BarChart
            caption={t('survey.chartCaption', { title: q.title })}
            max={100}
            bars={q.options.map((o) => ({
              label: o.label,
              value: o.percent,
              note: `${shown(o.count)} · ${pct(o.percent)}`,
            }))}
          />
          <table class="table compact">
            <caption class="visually-hidden">{q.title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('survey.option')}</th>
                <th scope="col">{t('survey.count')}</th>
                <th scope="col">{t('survey.percent')}</th>
              </tr>
            </thead>
            <tbody>
              {q.options.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.label}</th>
                  <td>{shown(o.count)}</td>
                  <td>{pct(o.percent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {admin && (
            <div class="result-actions">
              <label>
                <span class="visually-hidden">{t('survey.pickOption', { title: q.title })}</span>
                <select value={optionId} onChange={(e) => setOptionId((e.target as HTMLSelectElement).value)}>
                  {q.options.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" class="btn btn-small" onClick={() => pick('need')}>
                {t('survey.toNeed')}
              </button>
              <button type="button" class="btn btn-small" onClick={() => pick('activity')}>
                {t('survey.toActivityDraft')}
              </button>
            </div>
          )}
        </>
      )}
      {q.type === 'text' &&
        (q.texts.length === 0 ? (
          <p class="hint">{t('survey.noTexts')}</p>
        ) : (
          <ul class="text-answers">
            {q.texts.map((x) => (
              <li key={x.id}>
                <p class="prewrap">{x.text}</p>
                {admin && (
                  <p class="text-status">
                    <span class={`status status-${x.status}`}>{tEnum('surveyText', x.status)}</span>
                    {x.status !== 'approved' && (
                      <button type="button" class="btn btn-small" onClick={() => void moderate(x.id, 'approved')}>
                        {t('survey.approve')}
                      </button>
                    )}
                    {x.status !== 'rejected' && (
                      <button
                        type="button"
                        class="btn btn-small btn-quiet"
                        onClick={() => void moderate(x.id, 'rejected')}
                      >
                        {t('survey.reject')}
                      </button>
                    )}
                  </p>
                )}
              </li>
            ))}
          </ul>
        ))}
    </section>
  )
}

/** A cross-tabulation as a table whose cells are shaded by their share of the group (a heat map). */
function CrossTable({ tab, q }: { tab: CrossTab; q: QuestionResult }) {
  const t = useT()
  const caption = t(tab.by === 'target_group' ? 'survey.byGroup' : 'survey.byDistrict', { title: q.title })
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the wide table scrolls sideways on phones
    <section class="table-scroll cross-tab" tabIndex={0} aria-label={caption}>
      <table class="table compact">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(tab.by === 'target_group' ? 'survey.group' : 'survey.district')}</th>
            <th scope="col">{t('survey.respondents')}</th>
            {q.options.map((o) => (
              <th scope="col" key={o.id}>
                {o.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tab.rows.map((row) => (
            <tr key={row.group}>
              <th scope="row">{row.group}</th>
              <td>{shown(row.respondents)}</td>
              {q.options.map((o) => {
                const n = row.counts[o.id] ?? null
                const share = n !== null && row.respondents ? n / row.respondents : 0
                return (
                  <td key={o.id} class="heat" style={{ '--share': share.toFixed(2) }}>
                    {shown(n)}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function ResultsView({ survey, reloadSurvey }: { survey: Survey; reloadSurvey: () => void }) {
  const t = useT()
  const me = useStore(auth)
  const role = me.memberships.find((m) => m.organizationId === survey.organizationId)?.role
  const admin = role === 'owner' || role === 'admin'
  const results = useLoad(
    // The operation also answers CSV, so the generated type is a union; the JSON form is asked for here.
    async () => must(await api.GET('/v1/surveys/{id}/results', { params: { path: { id: survey.id } } })) as Results,
    [survey.id, me.status],
  )
  const [picked, setPicked] = useState<{ picked: Picked; mode: 'need' | 'activity' } | undefined>()
  const r = results.data
  return (
    <>
      {admin && survey.status === 'draft' && <PublishForm survey={survey} onDone={reloadSurvey} />}
      {survey.status === 'published' && admin && <SharePanel link={survey.link} title={survey.title} />}
      {results.loading && !r && <Loading />}
      {r && (
        <>
          <div class="stat-grid">
            <div class="card">
              <p class="stat">
                <strong data-testid="responses">{r.responses}</strong> {t('survey.responses')}
              </p>
            </div>
            <div class="card">
              <p class="stat">
                <strong>{r.gridWorkerEntries}</strong> {t('survey.gridWorkerEntries')}
              </p>
            </div>
          </div>
          {r.suppressed && <p class="note">{t('survey.suppressedNote')}</p>}
          <div class="toolbar">
            <button type="button" class="btn" onClick={() => void downloadCsv(survey)}>
              {t('survey.downloadCsv')}
            </button>
          </div>
          {picked?.mode === 'need' && (
            <NeedForm surveyId={survey.id} picked={picked.picked} onClose={() => setPicked(undefined)} />
          )}
          {picked?.mode === 'activity' && (
            <ActivityForm surveyId={survey.id} picked={picked.picked} onClose={() => setPicked(undefined)} />
          )}
          <h2>{t('survey.perQuestion')}</h2>
          {r.questions.map((q) => (
            <QuestionCard
              key={q.questionId}
              q={q}
              survey={survey}
              admin={admin}
              onPick={(p, mode) => {
                setPicked({ picked: p, mode })
                window.scrollTo(0, 0)
              }}
              onModerated={results.reload}
            />
          ))}
          {r.crossTabs.length > 0 && <h2>{t('survey.breakdown')}</h2>}
          {r.crossTabs.map((tab) => {
            const q = r.questions.find((x) => x.questionId === tab.questionId)
            return q ? <CrossTable key={`${tab.by}-${tab.questionId}`} tab={tab} q={q} /> : null
          })}
        </>
      )}
    </>
  )
}

/** A survey's results (and, for its admins, publishing, sharing and turning results into action). */
export default function SurveyResultsPage({ id }: { id: string }) {
  const t = useT()
  const me = useStore(auth)
  const survey = useLoad(
    async () => must(await api.GET('/v1/surveys/{id}', { params: { path: { id } } })),
    [id, me.status],
  )
  if ((survey.loading && !survey.data) || me.status === 'restoring') return <Loading />
  if (!survey.data) return <ErrorNote>{t('survey.notFound')}</ErrorNote>
  const s = survey.data
  return (
    <section class="survey-results">
      <PageTitle title={t('survey.resultsTitle', { title: s.title })}>
        {t('survey.resultsTitle', { title: s.title })}
      </PageTitle>
      <p class="lead">
        {s.organizationName} · <span class={`status status-${s.status}`}>{tEnum('surveyStatus', s.status)}</span>
        {s.closesAt && ` · ${t('survey.closesOn', { when: formatDateTime(s.closesAt) })}`}
      </p>
      {s.status === 'published' && (
        <p>
          <Link href={s.link}>{t('survey.toForm')}</Link>
        </p>
      )}
      <ResultsView survey={s} reloadSurvey={survey.reload} />
    </section>
  )
}
