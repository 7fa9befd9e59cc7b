import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { constants as zlibConstants } from 'node:zlib'
import { ownerOf, SERVICES, type ServiceName } from '@commons/contracts'
import { type App, AppError, buildService, REQUEST_ID_HEADER, sendProblem } from '@commons/service-kit'
import fastifyCompress from '@fastify/compress'
import replyFrom from '@fastify/reply-from'
import fastifyStatic from '@fastify/static'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WebConfig } from './config.ts'
import { checkRequestTarget, opsAccess } from './entry-guard.ts'
import { mergeOpenApi, type OpenApiDocument } from './openapi.ts'
import { pageMeta, withMeta } from './share-meta.ts'

/** Upstream base URLs by service. */
export type Upstreams = Readonly<Record<ServiceName, string>>

export function upstreamsOf(config: WebConfig): Upstreams {
  return {
    listings: config.LISTINGS_URL,
    discovery: config.DISCOVERY_URL,
    bookings: config.BOOKINGS_URL,
    messaging: config.MESSAGING_URL,
    community: config.COMMUNITY_URL,
  }
}

const DOCS_CACHE_MS = 10_000

/**
 * The single public entry point: proxies /v1/* to the owning service by the routing table in contracts,
 * serves the merged OpenAPI document and the API reference. Bodies are streamed through unparsed, so what
 * reaches a service is byte for byte what the client sent (Stripe signatures depend on that).
 */
export async function buildApp(config: WebConfig): Promise<App> {
  const upstreams = upstreamsOf(config)
  const stripe = stripeOrigins(config.STRIPE_JS_URL)
  const tiles = tileOrigins(config.MAP_TILE_URL, config.MAP_TILE_SUBDOMAINS)
  const app = await buildService({
    name: 'web',
    config,
    description: 'Public entry point',
    undocumentedPrefixes: ['/v1/'],
    serveOpenApi: false,
    cspDirectives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...stripe.script],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'https:', ...tiles],
      connectSrc: ["'self'", ...stripe.connect],
      frameSrc: stripe.frame,
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
    },
  })

  // Before any route sees the target: one decoding step, no way out of the path it names.
  const mayReadOps = opsAccess(config.OPS_NETWORKS, config.OPS_TOKEN)
  app.addHook('onRequest', async (request, reply) => {
    const refused = checkRequestTarget(request.url)
    if (refused) return sendProblem(reply, request, refused)
    // The entry point's own /ready and /metrics are for the machine and its operators, not the public.
    const path = request.url.split('?')[0]
    if ((path === '/ready' || path === '/metrics') && !mayReadOps(request.socket.remoteAddress, request.headers)) {
      return sendProblem(reply, request, new AppError('route_not_found', 404, `No route ${request.method} ${path}.`))
    }
  })

  await registerCompression(app)

  await app.register(async (proxy) => {
    proxy.removeAllContentTypeParsers()
    proxy.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
    await proxy.register(replyFrom, {
      http: { requestOptions: { timeout: config.UPSTREAM_TIMEOUT_SECONDS * 1000 } },
      // Clients' retries are theirs to make; a proxy that retries a POST could book twice.
      retryMethods: [],
    })
    // The entry point holds no keys: bearer tokens pass through untouched and the owning service verifies
    // them (`auth: 'none'` skips the service kit's token check for this route).
    proxy.all('/v1/*', { schema: { hide: true }, config: { auth: 'none' } }, (request, reply) => {
      const owner = ownerOf(request.url)
      if (!owner) {
        return sendProblem(
          reply,
          request,
          new AppError('route_not_found', 404, `No route ${request.method} ${request.url}.`),
        )
      }
      // A body over the services' limit is refused here, by its declared length, before any of it is relayed:
      // the owning service would refuse it too, but it answers 413 and closes while the entry point is still
      // sending, and the relay then saw a broken connection (503). Photo uploads (multipart) have their own
      // larger limit at the photo route.
      const declared = Number(request.headers['content-length'] ?? 0)
      const multipart = String(request.headers['content-type'] ?? '').startsWith('multipart/form-data')
      if (!multipart && declared > config.BODY_LIMIT_BYTES) {
        return sendProblem(
          reply,
          request,
          new AppError(
            'payload_too_large',
            413,
            `The request body is ${declared} bytes; at most ${config.BODY_LIMIT_BYTES} are accepted.`,
          ),
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

  // What the browser app needs to know of this deployment, fetched when first needed (the pay page).
  app.get('/ui-config.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').send({
      stripeJsUrl: config.STRIPE_JS_URL,
      map: {
        tileUrl: config.MAP_TILE_URL,
        subdomains: config.MAP_TILE_SUBDOMAINS,
        datum: config.MAP_TILE_DATUM,
        attribution: config.MAP_TILE_ATTRIBUTION,
      },
    }),
  )

  await registerUi(app, config.UI_DIR, config.LISTINGS_URL)

  // The entry point can serve when every service it routes to can: their /ready (database and search
  // reachable), not /health, which only says the process is alive.
  for (const service of SERVICES) {
    app.readinessChecks.set(service, async () => {
      const res = await fetch(`${upstreams[service]}/ready`, { signal: AbortSignal.timeout(1500) })
      await res.body?.cancel()
      if (!res.ok) throw new Error(`${service} is not ready (${res.status})`)
    })
  }
  return app
}

/**
 * Content-Security-Policy sources for Stripe.js: its own origin, plus, for Stripe's hosted copy, the API it
 * calls and the frames it opens for card authentication (Stripe's published CSP list).
 */
export function stripeOrigins(jsUrl: string): { script: string[]; connect: string[]; frame: string[] } {
  const origin = new URL(jsUrl).origin
  if (origin === 'https://js.stripe.com')
    return {
      script: [origin],
      connect: ['https://api.stripe.com'],
      frame: [origin, 'https://hooks.stripe.com'],
    }
  return { script: [origin], connect: [origin], frame: [origin] }
}

/**
 * The origins map tiles come from: the template's host with each subdomain written out, since a CSP
 * wildcard may only stand for a whole leftmost label and AutoNavi's hosts vary inside one (webrd01…04).
 */
export function tileOrigins(template: string, subdomains: string): string[] {
  const origin = (/^https?:\/\/[^/?#]+/.exec(template) ?? [''])[0]
  if (!origin.includes('{s}')) return [origin]
  return [...new Set([...(subdomains || '')].map((s) => origin.replaceAll('{s}', s)))]
}

/**
 * What is worth compressing: JSON (problem+json included), the UI's scripts, styles and HTML, CSV and
 * calendars. Not an event stream: a compressor holds bytes back until its block fills, and a live stream
 * must reach the browser as each event is written.
 */
const COMPRESSIBLE =
  /^(?:application\/(?:[a-z.+-]*\+)?json|application\/(?:javascript|xml)|text\/(?:html|css|javascript|plain|csv|calendar|xml)|image\/svg\+xml)\b/i

/**
 * Brotli or gzip for every answer the entry point sends, the proxied API included (services answer
 * uncompressed on the inner network, where bandwidth is cheap and CPU is not). Brotli at quality 4: the
 * default 11 costs tens of milliseconds on a 100 KB script, for a few percent.
 */
async function registerCompression(app: App) {
  await app.register(fastifyCompress, {
    global: true,
    // Request bodies go through to the services byte for byte (Stripe signs them), never inflated here.
    globalDecompression: false,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    customTypes: (type: string) => COMPRESSIBLE.test(type),
  })
}

/** Paths the single-page app never answers: the API, the reference, operational routes. */
const NOT_UI = /^\/(v1|docs|openapi\.json|ui-config\.json|health|ready|metrics)(\/|$|\?)/

/**
 * The web UI: hashed assets cached for a year, index.html never cached, and every other page path answered
 * with index.html so a deep link (/listings/…, /search?q=…) opens the app, which routes on the client.
 */
async function registerUi(app: App, uiDir: string, listingsUrl: string) {
  const index = join(uiDir, 'index.html')
  if (!existsSync(index)) {
    app.log.warn({ uiDir }, 'web UI not built; run `pnpm build` (pnpm start builds it)')
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built yet: run `pnpm build` or `pnpm start`. The API is at /v1 and /docs.'),
    )
    return
  }
  await app.register(fastifyStatic, {
    root: uiDir,
    prefix: '/',
    wildcard: false,
    // Our own policy below: hashed assets forever, the HTML shell never.
    cacheControl: false,
    index: false,
    setHeaders: (res, path) => {
      res.setHeader(
        'cache-control',
        path.includes(`${join(uiDir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
    },
  })
  // Each page's own title, description and preview picture, so a link shared in a chat shows what it is.
  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/'
    const [html, meta] = await Promise.all([
      readFile(index, 'utf8'),
      pageMeta(listingsUrl, `${request.protocol}://${request.host}`, path),
    ])
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(withMeta(html, meta))
  }
  app.get('/', { schema: { hide: true } }, (request, reply) => sendIndex(request, reply))
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    // A missing file (a dot in the last segment) is a 404, not the app: browsers would run HTML as a script.
    if (NOT_UI.test(request.url) || /\.[a-z0-9]+$/i.test(path)) {
      return sendProblem(reply, request, new AppError('not_found', 404, `No page ${path}.`))
    }
    return sendIndex(request, reply)
  })
}
