import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** The header that carries a request's id across services and back to the client. */
export const REQUEST_ID_HEADER = 'x-request-id'

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * Takes the caller's request id when it is safe to log and echo, so one id follows a request through
 * the web entry point into the owning service; otherwise makes a fresh one.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER]
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID()
}
