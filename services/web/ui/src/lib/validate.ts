import type { z } from 'zod'
import { lang, t } from './i18n.ts'
import { fieldName } from './problem-text.ts'

/**
 * Validates a form's value with the API's own zod schema before sending, so the person sees the same rules
 * the service applies; messages of the common kinds are translated, the rest shown as the schema says.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { data: z.output<S>; errors?: undefined } | { data?: undefined; errors: Record<string, string> } {
  const result = schema.safeParse(value, { reportInput: true })
  if (result.success) return { data: result.data }
  const errors: Record<string, string> = {}
  for (const issue of result.error.issues) {
    const path = issue.path.join('.') || '_'
    errors[path] ??= messageOf(issue, path)
  }
  return { errors }
}

/** Empty as a person sees it: nothing typed, or only spaces. */
function isEmpty(input: unknown): boolean {
  return input === undefined || input === null || (typeof input === 'string' && input.trim() === '')
}

/**
 * The message for one issue, in the person's language: an empty required field says which field is
 * missing; a rule of the schema's own (a refinement, with English text) names the field instead of
 * repeating that text.
 */
function messageOf(issue: z.core.$ZodIssue, path: string): string {
  const field = fieldName(path, lang.get())
  if (isEmpty(issue.input) && issue.code !== 'unrecognized_keys') return t('form.requiredField', { field })
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? t('form.requiredField', { field })
          : t('form.minChars', { n: Number(issue.minimum) })
      if (issue.origin === 'array') return t('form.minItems', { n: Number(issue.minimum) })
      return t('form.min', { n: Number(issue.minimum) })
    case 'too_big':
      return issue.origin === 'string'
        ? t('form.maxChars', { n: Number(issue.maximum) })
        : t('form.max', { n: Number(issue.maximum) })
    case 'invalid_format':
      return issue.format === 'email' ? t('form.email') : t('form.invalidField', { field })
    default:
      return t('form.invalidField', { field })
  }
}
