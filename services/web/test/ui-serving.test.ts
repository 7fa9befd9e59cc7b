import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '@commons/service-kit'
import t, { type Test } from 'tap'
import { stripeOrigins, tileOrigins } from '../src/app.ts'
import { buildApp, WebConfig } from '../src/index.ts'

const DEAD = 'http://127.0.0.1:9'

async function webServing(t: Test, uiDir: string, env: Record<string, string> = {}) {
  const web = await buildApp(
    parseConfig(WebConfig, {
      ...env,
      LOG_LEVEL: 'silent',
      LISTINGS_URL: DEAD,
      DISCOVERY_URL: DEAD,
      BOOKINGS_URL: DEAD,
      COMMUNITY_URL: DEAD,
      UPSTREAM_TIMEOUT_SECONDS: '1',
      UI_DIR: uiDir,
    }),
  )
  t.teardown(() => web.close())
  return web
}

t.test('the web UI is served from the built folder with a fallback to index.html', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'commons-ui-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'assets'))
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><title>UI</title><script type="module" src="/assets/a.js"></script>',
  )
  await writeFile(join(dir, 'assets', 'a.js'), 'console.log(1)')
  const web = await webServing(t, dir)

  t.test('/ and deep links answer the app, never cached', async (t) => {
    for (const url of [
      '/',
      '/search?q=%E4%BC%9A%E8%AE%AE%E5%AE%A4',
      '/listings/0199d7a2-0000-7000-8000-000000000000',
    ]) {
      const res = await web.inject({ method: 'GET', url })
      t.equal(res.statusCode, 200, url)
      t.match(res.headers['content-type'], /text\/html/, url)
      t.match(res.body, /<title>UI<\/title>/, url)
      t.equal(res.headers['cache-control'], 'no-cache', url)
    }
  })

  t.test('hashed assets are cached for good; a missing asset is a 404, not the app', async (t) => {
    const asset = await web.inject({ method: 'GET', url: '/assets/a.js' })
    t.equal(asset.statusCode, 200)
    t.match(asset.headers['cache-control'], /immutable/)
    const missing = await web.inject({ method: 'GET', url: '/assets/gone.js' })
    t.equal(missing.statusCode, 404)
    t.equal(missing.json().code, 'not_found')
  })

  t.test('API and operational paths are never answered with the app', async (t) => {
    const api = await web.inject({ method: 'GET', url: '/v1/nowhere' })
    t.equal(api.json().code, 'route_not_found')
    const health = await web.inject({ method: 'GET', url: '/health' })
    t.equal(health.statusCode, 200)
    t.notMatch(health.body, /<title>UI/)
  })

  t.test('the page policy allows scripts from this origin and Stripe.js only, never inline', async (t) => {
    const res = await web.inject({ method: 'GET', url: '/' })
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /script-src 'self' https:\/\/js\.stripe\.com(;|$)/)
    t.notMatch(csp, /script-src[^;]*unsafe-inline/)
  })
})

t.test('without a UI build the root says how to build it, and the API still works', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'commons-ui-none-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const web = await webServing(t, join(dir, 'missing'))
  const res = await web.inject({ method: 'GET', url: '/' })
  t.equal(res.statusCode, 503)
  t.match(res.body, /pnpm build/)
  t.equal((await web.inject({ method: 'GET', url: '/health' })).statusCode, 200)
})

t.test('the pay page learns where Stripe.js is, and the CSP lets exactly that origin in', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'commons-ui-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>UI</title>')

  const hosted = await webServing(t, dir)
  const config = await hosted.inject({ method: 'GET', url: '/ui-config.json' })
  t.equal(config.json().stripeJsUrl, 'https://js.stripe.com/v3/', 'Stripe’s own copy by default')
  const csp = String((await hosted.inject({ method: 'GET', url: '/' })).headers['content-security-policy'])
  t.match(csp, /script-src 'self' https:\/\/js\.stripe\.com/)
  t.match(csp, /connect-src 'self' https:\/\/api\.stripe\.com/)
  t.match(csp, /frame-src https:\/\/js\.stripe\.com https:\/\/hooks\.stripe\.com/)

  const local = await webServing(t, dir, { STRIPE_JS_URL: 'http://127.0.0.1:12345/v3/' })
  t.equal(
    (await local.inject({ method: 'GET', url: '/ui-config.json' })).json().stripeJsUrl,
    'http://127.0.0.1:12345/v3/',
  )
  const localCsp = String((await local.inject({ method: 'GET', url: '/' })).headers['content-security-policy'])
  t.match(localCsp, /script-src 'self' http:\/\/127\.0\.0\.1:12345;/)
  t.notMatch(localCsp, /stripe\.com/, 'nothing else is let in')
  t.same(stripeOrigins('http://127.0.0.1:12345/v3/'), {
    script: ['http://127.0.0.1:12345'],
    connect: ['http://127.0.0.1:12345'],
    frame: ['http://127.0.0.1:12345'],
  })
})

t.test('the listing form learns which map tiles to draw, and the CSP lets their hosts in', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'commons-ui-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>UI</title>')

  const gaode = await webServing(t, dir)
  const map = (await gaode.inject({ method: 'GET', url: '/ui-config.json' })).json().map
  t.match(map, { tileUrl: /^https:\/\/webrd0\{s\}\.is\.autonavi\.com\//, subdomains: '1234', datum: 'gcj02' })
  const csp = String((await gaode.inject({ method: 'GET', url: '/' })).headers['content-security-policy'])
  t.match(csp, /img-src [^;]*https:\/\/webrd01\.is\.autonavi\.com [^;]*https:\/\/webrd04\.is\.autonavi\.com/)

  const osm = await webServing(t, dir, {
    MAP_TILE_URL: 'http://127.0.0.1:12346/tiles/{z}/{x}/{y}.png',
    MAP_TILE_SUBDOMAINS: '',
    MAP_TILE_DATUM: 'wgs84',
  })
  t.match((await osm.inject({ method: 'GET', url: '/ui-config.json' })).json().map, {
    tileUrl: 'http://127.0.0.1:12346/tiles/{z}/{x}/{y}.png',
    datum: 'wgs84',
  })
  const osmCsp = String((await osm.inject({ method: 'GET', url: '/' })).headers['content-security-policy'])
  t.match(osmCsp, /img-src [^;]*http:\/\/127\.0\.0\.1:12346/, 'a plain-http tile server is named, not left to https:')
  t.same(tileOrigins('https://t{s}.example.cn/{z}/{x}/{y}', 'ab'), ['https://ta.example.cn', 'https://tb.example.cn'])
})
