import type { z } from 'zod'
import { t } from './i18n.ts'

/**
 * Validates a form's value with the API's own zod schema before sending, so the person sees the same rules
 * the service applies; messages of the common kinds are translated, the rest shown as the schema says.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { data: z.output<S>; errors?: undefined } | { data?: undefined; errors: Record<string, string> } {
  const result = schema.safeParse(value)
  if (result.success) return { data: result.data }
  const errors: Record<string, string> = {}
  for (const issue of result.error.issues) {
    const path = issue.path.join('.') || '_'
    errors[path] ??= messageOf(issue)
  }
  return { errors }
}

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? t('form.required') : t('form.minChars', { n: Number(issue.minimum) })
      if (issue.origin === 'array') return t('form.minItems', { n: Number(issue.minimum) })
      return t('form.min', { n: Number(issue.minimum) })
    case 'too_big':
      return issue.origin === 'string'
        ? t('form.maxChars', { n: Number(issue.maximum) })
        : t('form.max', { n: Number(issue.maximum) })
    case 'invalid_type':
      return issue.input === undefined ? t('form.required') : t('form.invalid')
    case 'invalid_format':
      return issue.format === 'email' ? t('form.email') : t('form.invalid')
    default:
      return issue.message
  }
}
