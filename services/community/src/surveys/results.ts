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

/** One cell of a line of cells: its shown value, and how to hide it. */
interface Cell {
  value: () => number | null
  hide: () => void
}

/**
 * A line of cells and their total with exactly one of them hidden gives it away (the total minus the
 * others, or the sum of the cells): the smallest shown non-zero cell is hidden too (secondary suppression).
 * Returns whether it hid one.
 */
function protectLine(cells: Cell[], total: number | null): boolean {
  const hidden = cells.filter((c) => c.value() === null).length + (total === null ? 1 : 0)
  if (hidden !== 1) return false
  let smallest: Cell | undefined
  for (const c of cells) {
    const v = c.value()
    if (v !== null && v > 0 && (smallest === undefined || v < (smallest.value() as number))) smallest = c
  }
  smallest?.hide()
  return smallest !== undefined
}

/** Choices that exclude each other: their counts add up to the number who answered. */
const partitions = (q: Question) => q.type === 'single' || q.type === 'scale'

/**
 * Counts, percentages and cross-tabulations of a survey's responses (pure). Percentages are of the people
 * who answered the question (multiple choice adds up to more than 100). With `suppress`, any count from 1 to
 * 4 and what could be derived from it (its percentage, a mean over fewer than 5, the difference between a
 * shown total and the other cells of its row or column, a scale's mean once one of its cells is hidden) is
 * null; zero stays, as it identifies nobody.
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
    const result = { questionId: q.id, title: q.title, type: q.type, answered: cell(answered), options, mean, texts }
    if (input.suppress && partitions(q)) {
      protectLine(
        options.map((o) => ({
          value: () => o.count,
          hide: () => {
            o.count = null
            o.percent = null
          },
        })),
        result.answered,
      )
      // A mean and the shown scores would solve for two hidden ones.
      if (options.some((o) => o.count === null)) result.mean = null
    }
    return result
  })

  const crossTabs: CrossTab[] = []
  for (const by of ['target_group', 'district'] as const satisfies readonly QuestionRole[]) {
    const roleIndex = input.questions.findIndex((q) => q.role === by)
    const roleQuestion = input.questions[roleIndex]
    if (!roleQuestion) continue
    // A group's size is the role question's count, as shown above (after its own suppression).
    const sizes = questions[roleIndex]!.options
    const groups = roleQuestion.options.map((o) => o.label)
    const groupOf = (r: TallyInput['responses'][number]) => (by === 'target_group' ? r.targetGroup : r.district)
    for (const [qi, q] of input.questions.entries()) {
      if (q.role || q.type === 'text') continue
      const options = countedOptions(q)
      const rows = groups.map((group, gi) => {
        const inGroup = input.responses.filter((r) => groupOf(r) === group)
        const counts: Record<string, number | null> = {}
        for (const o of options)
          counts[o.id] = cell(inGroup.filter((r) => chosen(q, r.answers[q.id]).includes(o.id)).length)
        return { group, respondents: sizes[gi]?.count ?? null, counts }
      })
      if (input.suppress) {
        const at = (row: (typeof rows)[number], id: string): Cell => ({
          value: () => row.counts[id] ?? null,
          hide: () => {
            row.counts[id] = null
          },
        })
        const overall = questions[qi]!.options
        // Rows (a group's choices add up to its size) and columns (an option's groups add up to its count
        // overall) until no line gives a hidden cell away; every pass hides a cell or stops.
        for (let changed = true; changed; ) {
          changed = false
          if (partitions(q))
            for (const row of rows)
              changed =
                protectLine(
                  options.map((o) => at(row, o.id)),
                  row.respondents,
                ) || changed
          for (const [oi, o] of options.entries())
            changed =
              protectLine(
                rows.map((row) => at(row, o.id)),
                overall[oi]?.count ?? null,
              ) || changed
        }
      }
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
