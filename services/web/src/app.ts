import { ownerOf, SERVICES, type ServiceName } from '@commons/contracts'
import { type App, AppError, buildService, REQUEST_ID_HEADER, sendProblem } from '@commons/service-kit'
import replyFrom from '@fastify/reply-from'
import swaggerUi from '@fastify/swagger-ui'
import type { WebConfig } from './config.ts'
import { mergeOpenApi, type OpenApiDocument } from './openapi.ts'

/** Upstream base URLs by service. */
export type Upstreams = Readonly<Record<ServiceName, string>>

export function upstreamsOf(config: WebConfig): Upstreams {
  return { listings: config.LISTINGS_URL, discovery: config.DISCOVERY_URL, bookings: config.BOOKINGS_URL }
}

const DOCS_CACHE_MS = 10_000

/**
 * The single public entry point: proxies /v1/* to the owning service by the routing table in contracts,
 * serves the merged OpenAPI document and the API reference. Bodies are streamed through unparsed, so what
 * reaches a service is byte for byte what the client sent (Stripe signatures depend on that).
 */
export async function buildApp(config: WebConfig): Promise<App> {
  const upstreams = upstreamsOf(config)
  const app = await buildService({
    name: 'web',
    config,
    description: 'Public entry point',
    undocumentedPrefixes: ['/v1/'],
    serveOpenApi: false,
    cspDirectives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'https:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
    },
  })

  await app.register(async (proxy) => {
    proxy.removeAllContentTypeParsers()
    proxy.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
    await proxy.register(replyFrom, {
      http: { requestOptions: { timeout: config.UPSTREAM_TIMEOUT_SECONDS * 1000 } },
      // Clients' retries are theirs to make; a proxy that retries a POST could book twice.
      retryMethods: [],
    })
    proxy.all('/v1/*', { schema: { hide: true } }, (request, reply) => {
      const owner = ownerOf(request.url)
      if (!owner) {
        return sendProblem(
          reply,
          request,
          new AppError('route_not_found', 404, `No route ${request.method} ${request.url}.`),
        )
      }
      return reply.from(`${upstreams[owner]}${request.url}`, {
        rewriteRequestHeaders: (_req, headers) => ({
          ...headers,
          [REQUEST_ID_HEADER]: String(request.id),
          'x-forwarded-for': request.ip,
          'x-forwarded-proto': request.protocol,
          'x-forwarded-host': request.host,
        }),
        onError: (rep, { error }) => {
          request.log.warn({ err: error, upstream: owner }, 'upstream failed')
          const timedOut = /timeout/i.test(String((error as { code?: string }).code ?? error.message))
          const problem = timedOut
            ? new AppError('upstream_timeout', 504, `The ${owner} service did not answer in time.`)
            : new AppError(
                'service_unavailable',
                503,
                `The ${owner} service is not reachable right now; try again shortly.`,
                {
                  headers: { 'retry-after': '5' },
                },
              )
          return sendProblem(rep as typeof reply, request, problem)
        },
      })
    })
  })

  let cached: { at: number; doc: OpenApiDocument } | undefined
  const mergedDocument = async (): Promise<OpenApiDocument> => {
    if (cached && Date.now() - cached.at < DOCS_CACHE_MS) return cached.doc
    const docs = Object.fromEntries(
      await Promise.all(
        SERVICES.map(async (service) => {
          const res = await fetch(`${upstreams[service]}/openapi.json`, { signal: AbortSignal.timeout(5000) })
          if (!res.ok) throw new Error(`${service} answered ${res.status}`)
          return [service, (await res.json()) as OpenApiDocument] as const
        }),
      ),
    )
    cached = { at: Date.now(), doc: mergeOpenApi(docs) }
    return cached.doc
  }
  app.get('/openapi.json', { schema: { hide: true } }, async (request, reply) => {
    try {
      return await mergedDocument()
    } catch (error) {
      request.log.warn({ err: error }, 'cannot merge OpenAPI documents')
      return sendProblem(
        reply,
        request,
        new AppError('service_unavailable', 503, 'A service is not reachable; its routes cannot be listed now.'),
      )
    }
  })

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { url: '/openapi.json', deepLinking: true, docExpansion: 'list' },
    staticCSP: true,
  })

  for (const service of SERVICES) {
    app.readinessChecks.set(service, async () => {
      const res = await fetch(`${upstreams[service]}/health`, { signal: AbortSignal.timeout(1500) })
      if (!res.ok) throw new Error(`${service} answered ${res.status}`)
    })
  }
  return app
}
