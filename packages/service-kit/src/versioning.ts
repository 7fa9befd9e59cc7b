import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError, preconditionRequired } from './errors.ts'

/** Sends the entity's version as a strong ETag, e.g. `"7"`. */
export function setVersionTag(reply: FastifyReply, version: number): void {
  reply.header('etag', `"${version}"`)
}

/**
 * The version named by If-Match (`"7"`, `W/"7"` or `7`). With `required`, a missing header is 428; a
 * header that names no version is 400 `invalid_if_match`.
 */
export function ifMatchVersion(request: FastifyRequest, opts: { required: true }): number
export function ifMatchVersion(request: FastifyRequest, opts?: { required?: boolean }): number | undefined
export function ifMatchVersion(request: FastifyRequest, opts: { required?: boolean } = {}): number | undefined {
  const header = request.headers['if-match']
  if (header === undefined) {
    if (opts.required) throw preconditionRequired()
    return undefined
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header)
  if (!match)
    throw new AppError('invalid_if_match', 400, 'If-Match must name a version, e.g. "3", as the ETag gave it.')
  return Number(match[1])
}
