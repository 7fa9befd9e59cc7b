import { connect } from 'node:net'
import { SERVICES, type ServiceName } from '@commons/contracts'
import { BaseConfig, buildService, parseConfig } from '@commons/service-kit'
import t, { type Test } from 'tap'
import { z } from 'zod'
import { buildApp, WebConfig } from '../src/index.ts'

/**
 * A real upstream that answers every /v1 path with what it received, and serves the service kit's own
 * /metrics, /ready and a stand-in for the internal feed route, so a request that escapes its prefix shows.
 */
async function upstream(t: Test, name: ServiceName) {
  const app = await buildService({ name, config: parseConfig(BaseConfig, { LOG_LEVEL: 'silent' }) })
  app.get('/v1/*', { config: { auth: 'none' }, schema: { hide: true } }, async (request) => ({
    service: name,
    url: request.url,
    forwardedFor: String(request.headers['x-forwarded-for']),
  }))
  app.get('/v1/events', { config: { auth: 'none' }, schema: { hide: true } }, async () => ({ feed: name }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
}

async function web(t: Test, env: Record<string, string> = {}) {
  const urls = await Promise.all(SERVICES.map((s) => upstream(t, s)))
  const app = await buildApp(
    parseConfig(WebConfig, {
      LOG_LEVEL: 'silent',
      LISTINGS_URL: urls[0],
      DISCOVERY_URL: urls[1],
      BOOKINGS_URL: urls[2],
      COMMUNITY_URL: urls[3],
      ...env,
    }),
  )
  t.teardown(() => app.close())
  return app
}

const Echo = z.object({ service: z.string(), url: z.string() })

/**
 * Sends a request target byte for byte over a socket: `inject` and fetch parse the URL first, which
 * resolves the very dot segments and backslashes under test before they reach the server.
 */
async function rawGet(t: Test, app: Awaited<ReturnType<typeof web>>, target: string) {
  if (!app.server.listening) {
    await app.listen({ host: '127.0.0.1', port: 0 })
  }
  const { port } = app.server.address() as { port: number }
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
    })
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => {
      data += chunk
    })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
  })
  t.comment(`${target} -> ${text.split('\r\n')[0]}`)
  const status = Number(text.split(' ')[1])
  const body = text.slice(text.indexOf('\r\n\r\n') + 4)
  return { status, body }
}

t.test('the entry point refuses traversal in every encoding before routing', async (t) => {
  const app = await web(t)
  const corpus = [
    '/v1/bookings/x\\..\\..\\..\\metrics',
    '/v1/bookings/x\\..\\..\\events',
    '/v1/bookings/..\\..\\ready',
    '/v1/bookings/../../metrics',
    '/v1/bookings/x/../../events',
    '/v1/bookings/%2e%2e/%2e%2e/metrics',
    '/v1/bookings/%2E%2E/%2E%2E/metrics',
    '/v1/bookings/.%2e/.%2e/metrics',
    '/v1/bookings/%2e./%2e./events',
    '/v1/bookings/x%2f..%2f..%2fmetrics',
    '/v1/bookings/x%2F..%2F..%2Fmetrics',
    '/v1/bookings/x%5c..%5c..%5cmetrics',
    '/v1/bookings/x%5C..%5Cmetrics',
    '/v1/bookings/./x',
    '/v1/bookings/%2e/x',
    '/v1/listings/%2e%2e%2fmetrics',
    '/v1/../metrics',
    '/v1/%2e%2e/events',
    '/v1/ledger/%00',
    '/v1/ledger/%0d%0aX-Injected:%201',
  ]
  for (const url of corpus) {
    const res = await rawGet(t, app, url)
    t.equal(res.status, 400, `${url} is refused`)
    t.match(res.body, /"code":"(path_not_allowed|malformed_url)"/, url)
    t.notMatch(res.body, /process_cpu|http_request|feed/, `${url} reaches nothing internal`)
  }
})

t.test('double encoding stays inside the prefix it names', async (t) => {
  const app = await web(t)
  for (const url of ['/v1/bookings/%252e%252e/%252e%252e/metrics', '/v1/bookings/x%255c..%255cmetrics']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200, url)
    const echo = Echo.parse(res.json())
    t.equal(echo.service, 'bookings')
    t.equal(echo.url, url, 'forwarded as sent, for the owning service to decode once')
  }
})

t.test('malformed escapes answer 400 at the entry point, not 500 behind it', async (t) => {
  const app = await web(t)
  for (const url of [
    '/v1/ledger?from=%FF',
    '/v1/search?q=%ED%A0%80',
    '/v1/search?q=%E4%BC',
    '/v1/search?q=%',
    '/v1/search?q=%zz',
    '/v1/listings/%C0%AF',
    '/v1/search?q=a%00b',
  ]) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, url)
    t.equal(res.json().code, 'malformed_url', url)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
  }
  const good = await app.inject({ method: 'GET', url: '/v1/search?q=%E4%BC%9A%E8%AE%AE+%E5%AE%A4&page=2' })
  t.equal(good.statusCode, 200)
  t.equal(Echo.parse(good.json()).service, 'discovery')
})

t.test('/ready and /metrics are not served to the public', async (t) => {
  const app = await web(t, { OPS_TOKEN: 'o'.repeat(40) })
  for (const url of ['/ready', '/metrics', '/metrics?x=1']) {
    const outside = await app.inject({ method: 'GET', url, remoteAddress: '203.0.113.7' })
    t.equal(outside.statusCode, 404, `${url} from outside`)
    // Through a proxy on this machine (an ingress, a tunnel) the peer is loopback but the client is not.
    const proxied = await app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': '203.0.113.7' } })
    t.equal(proxied.statusCode, 404, `${url} through a proxy`)
    const wrongToken = await app.inject({
      method: 'GET',
      url,
      remoteAddress: '203.0.113.7',
      headers: { authorization: `Bearer ${'x'.repeat(40)}` },
    })
    t.equal(wrongToken.statusCode, 404, `${url} with a wrong token`)
  }
  const local = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(local.statusCode, 200, 'the supervisor on this machine still reads /ready')
  const scraper = await app.inject({
    method: 'GET',
    url: '/metrics',
    remoteAddress: '203.0.113.7',
    headers: { authorization: `Bearer ${'o'.repeat(40)}` },
  })
  t.equal(scraper.statusCode, 200, 'a scraper with the ops token reads /metrics')
  t.match(scraper.body, /http_request/)
})

t.test('a client-set X-Forwarded-For does not choose the client address the services see', async (t) => {
  const app = await web(t)
  const seen = new Set<string>()
  for (let i = 1; i <= 5; i++) {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/search?q=x',
      headers: { 'x-forwarded-for': `10.9.0.${i}` },
    })
    seen.add(z.object({ forwardedFor: z.string() }).parse(res.json()).forwardedFor)
  }
  t.same([...seen], ['127.0.0.1'])
})

t.test('TRUST_PROXY=true is refused for the entry point', async (t) => {
  t.throws(() => parseConfig(WebConfig, { TRUST_PROXY: 'true' }), /TRUST_PROXY/)
})
