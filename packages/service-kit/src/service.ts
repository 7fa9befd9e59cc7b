import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Actor } from '@commons/contracts'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import helmet from 'helmet'
import { z } from 'zod'
import { bearerToken, type KeySource, UNKNOWN_KEY, verifyAccessToken } from './auth.ts'
import type { BaseConfig } from './config.ts'
import { AppError, shuttingDown, tooManyRequests } from './errors.ts'
import { registerSafeJsonParser } from './json-body.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { sendProblem, toAppError } from './problem.ts'
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts'
import { RequestLogController } from './request-logging.ts'

/** A readiness check: resolves when the dependency answers, throws (or times out) when it does not. */
export type ReadinessCheck = () => Promise<void>

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, or null for anonymous requests. */
    actor: Actor | null
  }
  interface FastifyInstance {
    /** Checks `/ready` runs; services add their database, search engine, etc. */
    readinessChecks: Map<string, ReadinessCheck>
    metrics: Metrics
    serviceName: string
  }
  interface FastifyContextConfig {
    /**
     * `service`: the route takes the service token instead of a user's access token; `none`: the route does
     * not look at credentials at all (the web entry point passes them on to the owning service).
     */
    auth?: 'user' | 'service' | 'none'
  }
}

/** The Fastify instance every service builds on: zod-typed routes. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>

export interface ServiceOptions {
  name: string
  version?: string
  description?: string
  config: BaseConfig
  /** Public keys that verify access tokens; without them every bearer token is refused. */
  keys?: KeySource
  /**
   * Replaces the token's roles and moderator flag with current state (each service's access replica, or
   * listings' own tables), and refuses revoked tokens. Without it the token's claims are taken as they are.
   */
  resolveActor?: (actor: Actor) => Promise<Actor>
  /** Extra route prefixes whose routes need no operationId (e.g. static assets of the web UI). */
  undocumentedPrefixes?: string[]
  /** Fastify `trustProxy`: whose X-Forwarded-For to believe (the web entry point, on loopback by default). */
  trustProxy?: string | boolean
  /** Serve this service's own document at /openapi.json (the web entry point serves the merged one). */
  serveOpenApi?: boolean
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void }
  /** Content-Security-Policy directives; services serving JSON only keep the default that allows nothing. */
  cspDirectives?: Record<string, string[]>
}

const READINESS_TIMEOUT_MS = 2000
/** How long a readiness check fails before it is logged as a warning (services wait for each other at start). */
const READINESS_WARN_AFTER_MS = 30_000
const OPS_ROUTES = new Set(['/health', '/ready', '/metrics', '/openapi.json'])

/**
 * Builds a service's Fastify instance with what every service shares: request ids, logging, problem+json
 * errors, zod validation and OpenAPI, token verification, rate limiting, security headers, body limit,
 * /health, /ready, /metrics and /openapi.json. The caller registers its routes and closes it.
 */
export async function buildService(opts: ServiceOptions): Promise<App> {
  const { config } = opts
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      base: { service: opts.name },
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    genReqId: requestIdOf,
    logController: new RequestLogController(),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: opts.trustProxy ?? trustProxyOf(config.TRUST_PROXY),
    // Drain on close: keep-alive connections that sit idle are closed, in-flight requests finish.
    forceCloseConnections: 'idle',
    // Fastify's own 503 while closing is plain JSON; the onRequest hook below answers problem+json instead.
    return503OnClosing: false,
    // A path the router cannot decode (`%C0%AF`, a lone `%`) never reaches hooks or the error handler;
    // answer it as every other client error, with a stable code.
    frameworkErrors: (error, request, reply) => {
      const badUrl = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_ASYNC_CONSTRAINT'
      return sendProblem(
        reply,
        request,
        badUrl
          ? new AppError('malformed_url', 400, 'The URL has a malformed percent-escape.')
          : toAppError(error, request),
      )
    },
  }).withTypeProvider<ZodTypeProvider>()

  registerSafeJsonParser(app)
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorate('serviceName', opts.name)
  app.decorate('readinessChecks', new Map<string, ReadinessCheck>())
  app.decorate('metrics', createMetrics(opts.name))
  app.decorateRequest('actor', null)

  // Set at the start of close(): requests that still arrive on open keep-alive connections (or pipelined
  // behind one in flight) are refused, while those already running drain.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    if (closing) throw shuttingDown()
  })

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error, request)
    if (appError.status === 503) request.log.warn({ code: appError.code, err: error }, 'request refused: unavailable')
    else if (appError.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ code: appError.code, status: appError.status }, 'request refused')
    return sendProblem(reply, request, appError)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, new AppError('route_not_found', 404, `No route ${request.method} ${request.url}.`)),
  )

  app.addHook('onResponse', async (request, reply) => {
    app.metrics.httpDuration
      .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000)
  })

  // Every documented route must be addressable by name in the OpenAPI documents and clients.
  const undocumented = ['/docs', ...(opts.undocumentedPrefixes ?? [])]
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { hide?: boolean; operationId?: string; tags?: string[] } | undefined
    if (schema?.hide || OPS_ROUTES.has(route.url) || undocumented.some((p) => route.url.startsWith(p))) return
    if (route.method === 'HEAD' || (Array.isArray(route.method) && route.method.includes('HEAD'))) return
    if (!schema?.operationId || !schema.tags?.length) {
      throw new Error(`Route ${String(route.method)} ${route.url} needs schema.operationId and schema.tags`)
    }
  })

  // Security headers, worked out once: @fastify/helmet builds helmet's middleware, CSP parsing included,
  // again on every request, which was a few per cent of a search's CPU in discovery.
  const securityHeaders = helmet({
    // The API serves JSON only; the web service configures its own policy for pages.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: opts.cspDirectives ?? { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  })
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, () => done())
  })
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_MAX,
    timeWindow: '1 minute',
    allowList: (request) => request.routeOptions.config.auth === 'service',
    errorResponseBuilder: (_request, context) => tooManyRequests(Math.ceil(context.ttl / 1000)),
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `Commons ${opts.name}`, version: opts.version ?? '0.1.0', description: opts.description },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          serviceToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The shared service token (service-to-service)',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })

  // Verify the caller's token before the body is parsed, so a bad token costs nothing.
  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config?.auth
    if (auth === 'service' || auth === 'none') return
    const token = bearerToken(request)
    if (!token) return
    if (!opts.keys) throw new AppError('invalid_token', 401, 'This service does not accept tokens.')
    try {
      const claimed = await verifyAccessToken(opts.keys, token)
      request.actor = opts.resolveActor ? await opts.resolveActor(claimed) : claimed
    } catch (error) {
      // A token under a key nobody publishes (say, from before a key reset) must not take public pages
      // down: there the caller is anonymous; routes that need a user (they declare `security`) say 401.
      const isPublic = !(request.routeOptions.schema as { security?: unknown[] } | undefined)?.security?.length
      if (error instanceof AppError && error.code === UNKNOWN_KEY && isPublic) return
      throw error
    }
  })

  // Operational routes never look at a caller's token: whoever may reach them is decided by the network
  // (and, at the public entry point, by its own guard).
  const ops = { schema: { hide: true }, config: { auth: 'none' as const } }
  app.get('/health', ops, async () => ({ status: 'ok' }))
  // "Can serve": every dependency a request needs answers. A 503 is problem+json like every other one, with
  // the checks beside the code, so a load balancer and a person read the same answer.
  // A check failing at start (an upstream still starting) is expected and answered 503 on every probe; it
  // is worth a warning once it has failed for a while, and a line when it recovers after one.
  const failingSince = new Map<string, number>()
  const warned = new Set<string>()
  app.get('/ready', ops, async (request, reply) => {
    const results = await Promise.all(
      [...app.readinessChecks].map(async ([name, check]) => {
        try {
          await withTimeout(check(), READINESS_TIMEOUT_MS)
          failingSince.delete(name)
          if (warned.delete(name)) app.log.info({ check: name }, 'readiness check recovered')
          return [name, 'ok'] as const
        } catch (error) {
          const since = failingSince.get(name) ?? Date.now()
          failingSince.set(name, since)
          if (!warned.has(name) && Date.now() - since >= READINESS_WARN_AFTER_MS) {
            warned.add(name)
            app.log.warn({ check: name, err: error }, 'readiness check failing')
          } else app.log.debug({ check: name, err: error }, 'readiness check failed')
          return [name, 'failing'] as const
        }
      }),
    )
    const checks = Object.fromEntries(results)
    const ready = results.every(([, state]) => state === 'ok')
    if (ready) return reply.send({ status: 'ready', checks })
    const failing = results.filter(([, state]) => state !== 'ok').map(([name]) => name)
    return sendProblem(
      reply,
      request,
      new AppError('not_ready', 503, `Not ready: ${failing.join(', ')} failing.`, {
        body: { checks },
        headers: { 'retry-after': '5' },
      }),
    )
  })
  app.get('/metrics', ops, async (_request, reply) => {
    reply.type(app.metrics.registry.contentType)
    return app.metrics.registry.metrics()
  })
  if (opts.serveOpenApi !== false) app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  return app as unknown as App
}

function trustProxyOf(value: string): string | boolean {
  if (value === 'true') return true
  if (value === 'false') return false
  return value
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The body of `/ready`: `{ status: 'ready', checks }` with 200; with 503, problem+json whose `code` is
 * `not_ready` and whose `checks` name each check 'ok' or 'failing'. Exported for tests and the web service.
 */
export const ReadyBody = z.object({
  status: z.union([z.literal('ready'), z.literal(503)]),
  code: z.literal('not_ready').optional(),
  checks: z.record(z.string(), z.string()),
})
