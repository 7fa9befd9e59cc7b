import type { AnswerValue, Question } from '@commons/contracts'

export interface AnswerIssue {
  path: string
  message: string
}

/**
 * Checks answers against the questions (pure): every key names a question, every value fits its type, and
 * every required question is answered. Returns the answers to keep (texts trimmed) or the issues.
 */
export function checkAnswers(
  questions: readonly Question[],
  answers: Record<string, AnswerValue>,
): { ok: true; answers: Record<string, AnswerValue> } | { ok: false; issues: AnswerIssue[] } {
  const issues: AnswerIssue[] = []
  const kept: Record<string, AnswerValue> = {}
  const byId = new Map(questions.map((q) => [q.id, q]))
  for (const key of Object.keys(answers))
    if (!byId.has(key)) issues.push({ path: `body.answers.${key}`, message: 'no such question' })
  for (const q of questions) {
    const path = `body.answers.${q.id}`
    const value = answers[q.id]
    const blank =
      value === undefined ||
      (typeof value === 'string' && value.trim() === '') ||
      (Array.isArray(value) && value.length === 0)
    if (blank) {
      if (q.required) issues.push({ path, message: 'required' })
      continue
    }
    const options = new Set(q.options.map((o) => o.id))
    if (q.type === 'single') {
      if (typeof value !== 'string' || !options.has(value)) issues.push({ path, message: 'one of the options' })
      else kept[q.id] = value
    } else if (q.type === 'multiple') {
      if (!Array.isArray(value) || new Set(value).size !== value.length || !value.every((v) => options.has(v)))
        issues.push({ path, message: 'distinct options of the question' })
      else kept[q.id] = value
    } else if (q.type === 'scale') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5)
        issues.push({ path, message: 'a whole number from 1 to 5' })
      else kept[q.id] = value
    } else {
      if (typeof value !== 'string' || value.trim().length > 500) issues.push({ path, message: 'text up to 500' })
      else kept[q.id] = value.trim()
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, answers: kept }
}

/** The label a respondent chose for the survey's breakdown question of `role`, if any. */
export function breakdownLabel(
  questions: readonly Question[],
  answers: Record<string, AnswerValue>,
  role: 'target_group' | 'district',
): string | null {
  const q = questions.find((x) => x.role === role)
  const chosen = q && answers[q.id]
  return (q && typeof chosen === 'string' && q.options.find((o) => o.id === chosen)?.label) || null
}
