import type { ProblemCode } from '@commons/contracts'
import en from '../messages/en.ts'
import problemsEn from '../messages/problems.en.ts'
import problemsZhCN from '../messages/problems.zh-CN.ts'
import zhCN, { type MessageKey } from '../messages/zh-CN.ts'

/*
 * What the interface says about a failed request. A problem's `detail` and a field error's `message` are
 * the server's English for developers; the person sees a message chosen by the problem's `code` and the
 * failing field's name, in their language. Kept free of the DOM so tests can walk every code.
 */

type Lang = 'zh-CN' | 'en'
const CATALOGS: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en }
const PROBLEMS = { 'zh-CN': problemsZhCN, en: problemsEn } as const

function say(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = CATALOGS[lang][key] ?? zhCN[key]
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole))
}

/** The sentence for a problem: by its code, or a general one; never its `detail`. */
export function describeProblem(problem: unknown, lang: Lang): string {
  const code = (problem as { code?: unknown } | undefined)?.code
  // The catalogue's own keys, not contracts' runtime table: the main bundle stays free of zod.
  if (typeof code === 'string' && Object.hasOwn(problemsZhCN, code)) return PROBLEMS[lang][code as ProblemCode]
  // Not an answer from our services (a network failure, a proxy's page): nothing in it is for people.
  return PROBLEMS[lang].service_unavailable
}

/** The name of the field at `path` (`location.district`, `availability.weekly.mon.0.start`, `tags.2`). */
export function fieldName(path: string, lang: Lang): string {
  const parts = path.split('.').filter((p) => !/^\d+$/.test(p))
  for (let n = parts.length; n > 0; n--) {
    const key = `field.${parts.slice(0, n).join('.')}`
    if (key in zhCN) return say(lang, key as MessageKey)
  }
  const last = parts.at(-1)
  if (last && `field.${last}` in zhCN) return say(lang, `field.${last}` as MessageKey)
  return say(lang, 'field.other')
}

/**
 * A field error in the person's language, naming the field. The server's messages are zod's English
 * (`Too small: expected string to have >=2 characters`); their kind and bound are read from them, and
 * anything else becomes "<field> is not valid", never the English text.
 */
export function describeFieldError(path: string, serverMessage: string, lang: Lang): string {
  const field = fieldName(path, lang)
  const issue = (key: MessageKey, n?: number) =>
    say(lang, 'form.fieldIssue', { field, issue: say(lang, key, n === undefined ? {} : { n }) })
  const m = serverMessage
  if (/received undefined|received null|^required$/i.test(m)) return say(lang, 'form.requiredField', { field })
  if (/unknown field|unrecognized key/i.test(m)) return say(lang, 'form.unknownField', { field })
  if (/email/i.test(m)) return issue('form.email')
  const bound = Number(/[<>]=?\s*(\d+)/.exec(m)?.[1])
  if (/too small/i.test(m) && Number.isFinite(bound)) {
    if (/string/i.test(m))
      return bound <= 1 ? say(lang, 'form.requiredField', { field }) : issue('form.minChars', bound)
    if (/array|set/i.test(m)) return issue('form.minItems', bound)
    return issue('form.min', bound)
  }
  if (/too big/i.test(m) && Number.isFinite(bound)) {
    return /string/i.test(m) ? issue('form.maxChars', bound) : issue('form.max', bound)
  }
  if (/visible character|blank|empty|\bneeds?\b|missing/i.test(m)) return say(lang, 'form.requiredField', { field })
  return say(lang, 'form.invalidField', { field })
}
