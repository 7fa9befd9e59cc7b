import type { FastifyInstance } from 'fastify'
import { AppError } from './errors.ts'

/** Nesting deeper than any request body of the API; deeper documents only cost validation time. */
export const MAX_JSON_DEPTH = 32

/** A lone UTF-16 surrogate (with the u flag, a well-formed pair is one code point and does not match). */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Replaces the JSON body parser with one that refuses, as 400 `invalid_text`, strings Postgres or
 * well-formed UTF-8 cannot hold: a lone surrogate (`"\ud800"`) or NUL (`"\u0000"`), in values and keys, and
 * documents nested deeper than MAX_JSON_DEPTH (400 `json_too_deep`). Fastify's own parser still does the
 * parsing, so its prototype-poisoning protection and error codes stay.
 */
export function registerSafeJsonParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error) return done(error)
      const refused = unsafeJson(value)
      if (refused) return done(refused)
      done(null, value)
    })
  })
}

/** The problem with a parsed JSON value, or undefined when every string in it is safe to store. */
export function unsafeJson(value: unknown): AppError | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }]
  while (stack.length > 0) {
    const { value: node, depth } = stack.pop()!
    if (typeof node === 'string') {
      if (!safeText(node)) return invalidText()
      continue
    }
    if (node === null || typeof node !== 'object') continue
    if (depth >= MAX_JSON_DEPTH) {
      return new AppError('json_too_deep', 400, `JSON bodies may nest at most ${MAX_JSON_DEPTH} levels.`)
    }
    for (const [key, child] of Object.entries(node)) {
      if (!safeText(key)) return invalidText()
      stack.push({ value: child, depth: depth + 1 })
    }
  }
  return undefined
}

const safeText = (text: string) => !text.includes('\u0000') && !LONE_SURROGATE.test(text)

const invalidText = () =>
  new AppError('invalid_text', 400, 'A string in the body has a NUL character or a lone UTF-16 surrogate.')
