import type {
  AnswerValue,
  CrossTab,
  Question,
  QuestionResult,
  QuestionRole,
  SurveyResults,
  TextAnswer,
} from '@commons/contracts'

/** Cells under this many answers are hidden from anyone outside the survey's organization. */
export const MIN_CELL = 5

export interface TallyInput {
  surveyId: string
  title: string
  questions: readonly Question[]
  responses: ReadonlyArray<{
    answers: Record<string, AnswerValue>
    targetGroup: string | null
    district: string | null
    enteredBy: string | null
  }>
  texts: ReadonlyArray<TextAnswer & { questionId: string }>
  /** True for viewers outside the survey's organization: small cells suppressed, unapproved texts hidden. */
  suppress: boolean
}

const SCALE = ['1', '2', '3', '4', '5'] as const

/** The options a question is counted by: its choices, or the five scores of a scale. */
export function countedOptions(q: Question): Array<{ id: string; label: string }> {
  if (q.type === 'scale') return SCALE.map((s) => ({ id: s, label: s }))
  return q.options.map((o) => ({ id: o.id, label: o.label }))
}

/** The option ids one answer counts for. */
function chosen(q: Question, value: AnswerValue | undefined): string[] {
  if (value === undefined) return []
  if (q.type === 'multiple' && Array.isArray(value)) return value
  if (q.type === 'scale' && typeof value === 'number') return [String(value)]
  if (q.type === 'single' && typeof value === 'string') return [value]
  return []
}

const percentOf = (count: number, of: number) => (of === 0 ? 0 : Math.round((count / of) * 1000) / 10)

/**
 * Counts, percentages and cross-tabulations of a survey's responses (pure). Percentages are of the people
 * who answered the question (multiple choice adds up to more than 100). With `suppress`, any count from 1 to
 * 4 and what could be derived from it (its percentage, a mean over fewer than 5) is null; zero stays, as
 * it identifies nobody.
 */
export function tallyResults(input: TallyInput): SurveyResults {
  const cell = (n: number) => (input.suppress && n > 0 && n < MIN_CELL ? null : n)
  const questions: QuestionResult[] = input.questions.map((q) => {
    const answeredBy = input.responses.filter((r) => {
      const v = r.answers[q.id]
      return v !== undefined && !(Array.isArray(v) && v.length === 0)
    })
    const answered = answeredBy.length
    const options = countedOptions(q).map((o) => {
      const count = answeredBy.filter((r) => chosen(q, r.answers[q.id]).includes(o.id)).length
      const shown = cell(count)
      return { id: o.id, label: o.label, count: shown, percent: shown === null ? null : percentOf(count, answered) }
    })
    const scores = q.type === 'scale' ? answeredBy.map((r) => Number(r.answers[q.id])) : []
    const mean =
      scores.length > 0 && cell(scores.length) !== null
        ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100
        : null
    const texts =
      q.type === 'text'
        ? input.texts
            .filter((t) => t.questionId === q.id && (!input.suppress || t.status === 'approved'))
            .map(({ id, text, status }) => ({ id, text, status }))
        : []
    return { questionId: q.id, title: q.title, type: q.type, answered: cell(answered), options, mean, texts }
  })

  const crossTabs: CrossTab[] = []
  for (const by of ['target_group', 'district'] as const satisfies readonly QuestionRole[]) {
    const roleQuestion = input.questions.find((q) => q.role === by)
    if (!roleQuestion) continue
    const groups = roleQuestion.options.map((o) => o.label)
    const groupOf = (r: TallyInput['responses'][number]) => (by === 'target_group' ? r.targetGroup : r.district)
    for (const q of input.questions) {
      if (q.role || q.type === 'text') continue
      const rows = groups.map((group) => {
        const inGroup = input.responses.filter((r) => groupOf(r) === group)
        const counts: Record<string, number | null> = {}
        for (const o of countedOptions(q))
          counts[o.id] = cell(inGroup.filter((r) => chosen(q, r.answers[q.id]).includes(o.id)).length)
        return { group, respondents: cell(inGroup.length), counts }
      })
      crossTabs.push({ by, questionId: q.id, rows })
    }
  }

  return {
    surveyId: input.surveyId,
    title: input.title,
    responses: input.responses.length,
    gridWorkerEntries: input.responses.filter((r) => r.enteredBy !== null).length,
    suppressed: input.suppress,
    questions,
    crossTabs,
  }
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The CSV's header row, Chinese and English like the ledger's. */
export const RESULTS_CSV_HEADER = [
  '维度 dimension',
  '分组 group',
  '问题 question',
  '选项 option',
  '人数 count',
  '百分比 percent',
]

/**
 * Results as CSV (RFC 4180, CRLF, UTF-8 with a byte order mark so spreadsheet programs read the Chinese
 * right): every option overall, then every cross-tabulated cell. Suppressed cells are empty.
 */
export function resultsCsv(results: SurveyResults, questions: readonly Question[]): string {
  const lines = [RESULTS_CSV_HEADER.map(csvCell).join(',')]
  const row = (cells: unknown[]) => lines.push(cells.map(csvCell).join(','))
  for (const q of results.questions) for (const o of q.options) row(['all', '', q.title, o.label, o.count, o.percent])
  for (const tab of results.crossTabs) {
    const q = questions.find((x) => x.id === tab.questionId)
    if (!q) continue
    for (const r of tab.rows)
      for (const o of countedOptions(q)) {
        const count = r.counts[o.id] ?? null
        const percent = count === null || r.respondents === null ? null : percentOf(count, r.respondents)
        row([tab.by, r.group, q.title, o.label, count, percent])
      }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
