import { SERVICES, type ServiceName } from '@commons/contracts'
import { type App, BaseConfig, buildService, parseConfig } from '@commons/service-kit'
import t, { type Test } from 'tap'
import { z } from 'zod'
import { buildApp, mergeOpenApi, type OpenApiDocument, WebConfig } from '../src/index.ts'

/** The one path each upstream's echo answers on. */
const ECHO_PATHS: Record<ServiceName, string> = {
  listings: 'listings',
  discovery: 'search',
  bookings: 'bookings',
  messaging: 'conversations',
  community: 'activities',
}

/** A real HTTP service standing in for one upstream: it reports who it is and what it received. */
async function upstream(t: Test, name: ServiceName): Promise<{ url: string; app: App }> {
  const app = await buildService({ name, config: parseConfig(BaseConfig, { LOG_LEVEL: 'silent' }) })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  const Echo = z.object({
    service: z.string(),
    url: z.string(),
    body: z.string(),
    requestId: z.string(),
    forwardedFor: z.string(),
    authorization: z.string(),
  })
  app.route({
    method: ['GET', 'POST'],
    url: `/v1/${ECHO_PATHS[name]}`,
    // The echo does not verify tokens, so it can show what the entry point passed on.
    config: { auth: 'none' },
    schema: { operationId: `echo${name}`, tags: [name], response: { 200: Echo } },
    handler: async (request) => ({
      service: name,
      url: request.url,
      body: String(request.body ?? ''),
      requestId: String(request.headers['x-request-id']),
      forwardedFor: String(request.headers['x-forwarded-for']),
      authorization: String(request.headers.authorization ?? ''),
    }),
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  // Upstreams share this process with the entry point: build each document now (the plugin keeps it), so
  // the merge's 5 s fetches do not wait for four document builds in a row on a loaded machine.
  app.swagger()
  t.teardown(() => app.close())
  const address = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, app }
}

async function webWith(t: Test, urls: Record<ServiceName, string>) {
  const web = await buildApp(
    parseConfig(WebConfig, {
      LOG_LEVEL: 'silent',
      LISTINGS_URL: urls.listings,
      DISCOVERY_URL: urls.discovery,
      BOOKINGS_URL: urls.bookings,
      MESSAGING_URL: urls.messaging,
      COMMUNITY_URL: urls.community,
    }),
  )
  t.teardown(() => web.close())
  return web
}

t.test('the web entry point', async (t) => {
  const [listings, discovery, bookings, messaging, community] = await Promise.all(SERVICES.map((s) => upstream(t, s)))
  const web = await webWith(t, {
    listings: listings!.url,
    discovery: discovery!.url,
    bookings: bookings!.url,
    messaging: messaging!.url,
    community: community!.url,
  })

  t.test('routes each prefix to its owning service, query string intact', async (t) => {
    const search = await web.inject({ method: 'GET', url: '/v1/search?q=%E4%BC%9A%E8%AE%AE%E5%AE%A4&page=2' })
    t.equal(search.statusCode, 200)
    t.equal(search.json().service, 'discovery')
    t.equal(search.json().url, '/v1/search?q=%E4%BC%9A%E8%AE%AE%E5%AE%A4&page=2')
    t.equal((await web.inject({ method: 'GET', url: '/v1/listings' })).json().service, 'listings')
    t.equal((await web.inject({ method: 'GET', url: '/v1/bookings' })).json().service, 'bookings')
  })

  t.test('passes the body through byte for byte and the request id on', async (t) => {
    const raw = '{"id":"evt_1",  "data": {"金额": 100}}\n'
    const res = await web.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
      payload: raw,
    })
    t.equal(res.statusCode, 200)
    t.equal(res.json().body, raw)
    t.equal(res.json().requestId, 'req-42')
    t.equal(res.headers['x-request-id'], 'req-42')
    t.equal(res.json().forwardedFor, '127.0.0.1')
  })

  t.test('passes a bearer token on for the owning service to verify', async (t) => {
    const res = await web.inject({
      method: 'GET',
      url: '/v1/listings',
      headers: { authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.e30.c2ln' },
    })
    t.equal(res.statusCode, 200)
    t.equal(res.json().service, 'listings')
  })

  t.test("passes the caller's bearer token on untouched, for the owning service to verify", async (t) => {
    const res = await web.inject({
      method: 'GET',
      url: '/v1/search?q=x',
      headers: { authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.e30.c2ln' },
    })
    t.equal(res.statusCode, 200)
    t.equal(res.json().authorization, 'Bearer eyJhbGciOiJFZERTQSJ9.e30.c2ln')
  })

  t.test('a path no service owns is a 404 problem', async (t) => {
    const res = await web.inject({ method: 'GET', url: '/v1/nowhere' })
    t.equal(res.statusCode, 404)
    t.equal(res.json().code, 'route_not_found')
  })

  t.test('serves the merged OpenAPI document and the API reference', async (t) => {
    const doc = (await web.inject({ method: 'GET', url: '/openapi.json' })).json()
    t.equal(doc.openapi, '3.1.0')
    t.same(Object.keys(doc.paths).sort(), [
      '/v1/activities',
      '/v1/bookings',
      '/v1/conversations',
      '/v1/listings',
      '/v1/search',
    ])
    const docs = await web.inject({ method: 'GET', url: '/docs/' })
    t.equal(docs.statusCode, 200)
    t.match(docs.body, /swagger-ui/i)
  })

  t.test('is ready when every upstream answers', async (t) => {
    t.equal((await web.inject({ method: 'GET', url: '/ready' })).statusCode, 200)
  })
})

t.test('an upstream that is down gives 503 service_unavailable, not a hang or a 500', async (t) => {
  const gone = await upstream(t, 'discovery')
  await gone.app.close()
  const live = await upstream(t, 'listings')
  const web = await webWith(t, {
    listings: live.url,
    discovery: gone.url,
    bookings: live.url,
    messaging: live.url,
    community: live.url,
  })
  const res = await web.inject({ method: 'GET', url: '/v1/search?q=x' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'service_unavailable')
  t.ok(res.headers['retry-after'])
  const ready = await web.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 503)
  t.equal(ready.json().checks.discovery, 'failing')
})

t.test('is not ready while an upstream is alive but not ready', async (t) => {
  const [listings, discovery, bookings, messaging, community] = await Promise.all(SERVICES.map((s) => upstream(t, s)))
  let searchReachable = false
  discovery!.app.readinessChecks.set('meilisearch', async () => {
    if (!searchReachable) throw new Error('search engine unreachable')
  })
  const web = await webWith(t, {
    listings: listings!.url,
    discovery: discovery!.url,
    bookings: bookings!.url,
    messaging: messaging!.url,
    community: community!.url,
  })
  t.equal((await fetch(`${discovery!.url}/health`)).status, 200, 'discovery is alive')
  const ready = await web.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 503)
  t.match(ready.headers['content-type'], /^application\/problem\+json/)
  t.match(ready.json(), { code: 'not_ready', checks: { listings: 'ok', discovery: 'failing', bookings: 'ok' } })
  searchReachable = true
  t.equal((await web.inject({ method: 'GET', url: '/ready' })).statusCode, 200, 'ready once discovery is')
})

t.test('mergeOpenApi', async (t) => {
  const doc = (paths: string[], schemas: Record<string, unknown> = {}): OpenApiDocument => ({
    openapi: '3.1.0',
    info: { title: 'x', version: '1' },
    paths: Object.fromEntries(paths.map((p) => [p, { get: { operationId: p } }])),
    components: { schemas },
  })
  t.test('unites paths and identical shared schemas', async (t) => {
    const merged = mergeOpenApi({
      listings: doc(['/v1/listings'], { Problem: { type: 'object' } }),
      bookings: doc(['/v1/bookings'], { Problem: { type: 'object' } }),
    })
    t.same(Object.keys(merged.paths ?? {}), ['/v1/bookings', '/v1/listings'])
    t.same(merged.components?.schemas, { Problem: { type: 'object' } })
  })
  t.test('refuses a schema two services define differently', async (t) => {
    t.throws(
      () =>
        mergeOpenApi({
          listings: doc(['/v1/listings'], { Problem: { type: 'object' } }),
          bookings: doc(['/v1/bookings'], { Problem: { type: 'string' } }),
        }),
      /components.schemas.Problem differs/,
    )
  })
  t.test('refuses a path served by two services', async (t) => {
    t.throws(() => mergeOpenApi({ listings: doc(['/v1/x']), bookings: doc(['/v1/x']) }), /served by two services/)
  })
})
