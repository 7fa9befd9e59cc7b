import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'

/**
 * Routes polled by machines: health and readiness probes, Prometheus scrapes and other services' feed
 * reads. Their request lines go to debug, so an idle service writes nothing at info.
 */
export const QUIET_ROUTES: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics', '/v1/events'])

const isQuiet = (request: FastifyRequest) => QUIET_ROUTES.has(request.routeOptions.url ?? '')

/** Fastify's request lines, at debug for {@link QUIET_ROUTES} and at info for everything else. */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest, _reply: FastifyReply) {
    if (this.isLogDisabled(request)) return
    if (isQuiet(request)) request.log.debug({ req: request }, 'incoming request')
    else request.log.info({ req: request }, 'incoming request')
  }

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    if (this.isLogDisabled(request)) return
    if (error) reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    else if (isQuiet(request)) reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed')
    else reply.log.info({ res: reply, responseTime: reply.elapsedTime }, 'request completed')
  }
}
