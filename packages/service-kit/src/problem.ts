import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { isDatabaseConnectionError } from './database-errors.ts'
import { AppError, databaseUnavailable } from './errors.ts'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** Fastify's own client errors, mapped to stable codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_VALIDATION: 'validation_failed',
}

/** The `type` URI of a problem code. */
export const problemType = (code: string) => `urn:commons:problem:${code}`

/** Writes problem details for an error. Sent as a string so route response schemas never reshape it. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  const body = {
    type: problemType(error.code),
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.detail,
    instance: request.url,
    requestId: String(request.id),
    ...error.extras.body,
  }
  for (const [name, value] of Object.entries(error.extras.headers ?? {})) reply.header(name, value)
  return reply.code(error.status).type('application/problem+json').send(JSON.stringify(body))
}

/** Turns anything thrown by a route into an AppError, masking what the client must not see. */
export function toAppError(error: unknown, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as FastifyError).validationContext ?? 'request'
    const errors = error.validation.flatMap((issue) => {
      const base = `${context}${issue.instancePath === '/' ? '' : issue.instancePath.replaceAll('/', '.')}`
      const keys = (issue.params as { keys?: string[] }).keys
      if (issue.keyword === 'unrecognized_keys' && keys) {
        return keys.map((key) => ({ path: `${base}.${key}`, message: 'unknown field' }))
      }
      return [{ path: base, message: issue.message ?? 'invalid' }]
    })
    return new AppError('validation_failed', 400, errors.map((e) => `${e.path}: ${e.message}`).join('; '), {
      body: { errors },
    })
  }
  const fastifyError = error as Partial<FastifyError>
  const status = fastifyError.statusCode ?? 500
  if (status >= 400 && status < 500 && !isResponseSerializationError(error)) {
    const code =
      (fastifyError.code && FASTIFY_CODES[fastifyError.code]) ?? (status === 400 ? 'bad_request' : `http_${status}`)
    return new AppError(code, status, fastifyError.message)
  }
  if (isDatabaseConnectionError(error)) return databaseUnavailable()
  return new AppError(
    'internal_error',
    500,
    `Something went wrong on our side. Quote request id ${String(request.id)} when reporting it.`,
  )
}
