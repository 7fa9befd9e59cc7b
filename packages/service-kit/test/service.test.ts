import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@commons/contracts'
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose'
import t, { type Test } from 'tap'
import { z } from 'zod'
import {
  type App,
  AppError,
  BaseConfig,
  buildService,
  conflict,
  type KeySource,
  parseConfig,
  requireActor,
} from '../src/index.ts'

const config = (env: Record<string, string> = {}) => parseConfig(BaseConfig, { LOG_LEVEL: 'silent', ...env })

async function testService(t: Test, opts: { env?: Record<string, string>; keys?: KeySource } = {}): Promise<App> {
  const app = await buildService({ name: 'test', config: config(opts.env), keys: opts.keys })
  app.post(
    '/v1/things',
    {
      schema: {
        operationId: 'createThing',
        tags: ['things'],
        body: z.strictObject({ title: z.string().min(2), count: z.number().int().positive() }),
        response: { 201: z.object({ title: z.string() }) },
      },
    },
    async (request, reply) => reply.code(201).send({ title: request.body.title }),
  )
  app.get('/v1/conflict', { schema: { operationId: 'conflict', tags: ['things'] } }, async () => {
    throw conflict('slot_unavailable', 'That slot was just taken.')
  })
  app.get('/v1/boom', { schema: { operationId: 'boom', tags: ['things'] } }, async () => {
    throw new Error('secret database detail')
  })
  app.get('/v1/me', { schema: { operationId: 'me', tags: ['things'] } }, async (request) => requireActor(request))
  t.teardown(() => app.close())
  return app
}

t.test('an AppError becomes problem+json with its stable code and the request id', async (t) => {
  const app = await testService(t)
  const res = await app.inject({ method: 'GET', url: '/v1/conflict', headers: { 'x-request-id': 'abc-123' } })
  t.equal(res.statusCode, 409)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(res.headers['x-request-id'], 'abc-123')
  t.match(res.json(), {
    type: 'urn:commons:problem:slot_unavailable',
    title: 'Conflict',
    status: 409,
    code: 'slot_unavailable',
    detail: 'That slot was just taken.',
    requestId: 'abc-123',
  })
})

t.test('an unsafe incoming request id is replaced by a fresh one', async (t) => {
  const app = await testService(t)
  const res = await app.inject({
    method: 'GET',
    url: '/v1/conflict',
    headers: { 'x-request-id': 'bad id\nwith newline' },
  })
  t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('validation failures are 400 naming each failing field, unknown fields included', async (t) => {
  const app = await testService(t)
  const res = await app.inject({ method: 'POST', url: '/v1/things', payload: { title: 'x', count: 0, colour: 'red' } })
  t.equal(res.statusCode, 400)
  const body = res.json()
  t.equal(body.code, 'validation_failed')
  const paths = body.errors.map((e: { path: string }) => e.path).sort()
  t.same(paths, ['body.colour', 'body.count', 'body.title'])
})

t.test('a valid body passes and is typed through', async (t) => {
  const app = await testService(t)
  const res = await app.inject({ method: 'POST', url: '/v1/things', payload: { title: '会议室', count: 2 } })
  t.equal(res.statusCode, 201)
  t.same(res.json(), { title: '会议室' })
})

t.test('malformed JSON is a 400 invalid_json problem', async (t) => {
  const app = await testService(t)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/things',
    headers: { 'content-type': 'application/json' },
    payload: '{"title": ',
  })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'invalid_json')
})

t.test('a body over the limit is a 413 problem', async (t) => {
  const app = await testService(t, { env: { BODY_LIMIT_BYTES: '100' } })
  const res = await app.inject({ method: 'POST', url: '/v1/things', payload: { title: 'x'.repeat(200), count: 1 } })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'payload_too_large')
})

t.test('an unexpected error is masked as 500 with the request id, never its message', async (t) => {
  const app = await testService(t)
  const res = await app.inject({ method: 'GET', url: '/v1/boom' })
  t.equal(res.statusCode, 500)
  const body = res.json()
  t.equal(body.code, 'internal_error')
  t.notMatch(res.body, /secret database detail/)
  t.match(body.detail, String(res.headers['x-request-id']))
})

t.test('an unknown route is a 404 problem', async (t) => {
  const app = await testService(t)
  const res = await app.inject({ method: 'GET', url: '/v1/nothing-here' })
  t.equal(res.statusCode, 404)
  t.equal(res.json().code, 'route_not_found')
})

t.test('security headers are set', async (t) => {
  const app = await testService(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.match(String(res.headers['content-security-policy']), /default-src 'none'/)
})

t.test('rate limiting answers 429 with Retry-After once the budget is spent', async (t) => {
  const app = await testService(t, { env: { RATE_LIMIT_MAX: '2' } })
  for (let i = 0; i < 2; i++) t.equal((await app.inject({ method: 'GET', url: '/v1/conflict' })).statusCode, 409)
  const res = await app.inject({ method: 'GET', url: '/v1/conflict' })
  t.equal(res.statusCode, 429)
  t.equal(res.json().code, 'rate_limited')
  t.ok(Number(res.headers['retry-after']) > 0)
})

t.test('/ready answers 503 problem+json naming a failing check, 200 when all pass', async (t) => {
  const app = await testService(t)
  let healthy = false
  app.readinessChecks.set('database', async () => {
    if (!healthy) throw new Error('down')
  })
  const down = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(down.statusCode, 503)
  t.match(down.headers['content-type'], /^application\/problem\+json/)
  t.ok(Number(down.headers['retry-after']) > 0, 'says when to try again')
  t.match(down.json(), { status: 503, code: 'not_ready', checks: { database: 'failing' } })
  healthy = true
  const up = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(up.statusCode, 200)
  t.same(up.json(), { status: 'ready', checks: { database: 'ok' } })
})

t.test('/metrics reports request durations by route and status', async (t) => {
  const app = await testService(t)
  await app.inject({ method: 'GET', url: '/v1/conflict' })
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.match(res.body, /http_request_duration_seconds_count\{[^}]*route="\/v1\/conflict"[^}]*status_code="409"[^}]*\} 1/)
})

t.test('a documented route without operationId or tags is refused at registration', async (t) => {
  const app = await buildService({ name: 'test', config: config() })
  t.teardown(() => app.close())
  t.throws(() => app.get('/v1/anonymous', async () => ({})), /needs schema.operationId and schema.tags/)
})

t.test('the OpenAPI document names routes by operationId and shares schemas by id', async (t) => {
  const app = await testService(t)
  await app.ready()
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  t.equal(doc.openapi, '3.1.0')
  t.equal(doc.paths['/v1/things'].post.operationId, 'createThing')
  t.notOk(doc.paths['/health'], 'operational routes stay out of the public document')
})

t.test('access tokens', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' }
  const keys = createLocalJWKSet({ keys: [jwk] })
  const sign = (claims: Record<string, unknown>, expiresIn = '15m', key = privateKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key)
  const userId = '0195c0de-0000-7000-8000-000000000001'
  const orgId = '0195c0de-0000-7000-8000-0000000000aa'
  const app = await testService(t, { keys })

  t.test('a valid token gives request.actor', async (t) => {
    const token = await sign({ sub: userId, orgs: { [orgId]: 'admin' }, mod: false })
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.statusCode, 200)
    t.same(res.json(), {
      userId,
      roles: { [orgId]: 'admin' },
      moderator: false,
      // What the token was issued under, for services that check it against current state.
      tokenState: { epoch: 0, accessVersion: 0, orgVersions: {} },
    })
  })
  t.test('no token on a route that needs one is 401 unauthenticated', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/me' })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'unauthenticated')
  })
  t.test('an expired token is 401 token_expired', async (t) => {
    const token = await sign({ sub: userId }, '-1m')
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'token_expired')
  })
  t.test('a token signed by another key is 401 invalid_token', async (t) => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
    const token = await sign({ sub: userId }, '15m', other.privateKey)
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'invalid_token')
  })
  t.test('a token verified once answers from memory on later requests', async (t) => {
    let lookups = 0
    const counted: KeySource = (header, token) => {
      lookups += 1
      return keys(header, token)
    }
    const counting = await testService(t, { keys: counted })
    const token = await sign({ sub: userId, orgs: { [orgId]: 'member' } })
    for (let i = 0; i < 3; i++) {
      const res = await counting.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } })
      t.equal(res.statusCode, 200)
      t.same(res.json().roles, { [orgId]: 'member' })
    }
    t.equal(lookups, 1, 'the signature is checked on the first request only')
  })
  t.test('a remembered token is refused as token_expired once its exp passes', async (t) => {
    const token = await sign({ sub: userId }, '2s')
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number
    const me = () => app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } })
    t.equal((await me()).statusCode, 200)
    while (Date.now() / 1000 < exp) await new Promise((resolve) => setTimeout(resolve, 50))
    const res = await me()
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'token_expired')
  })
  t.test('a garbage token is 401 invalid_token even on a public route', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/conflict', headers: { authorization: 'Bearer nope' } })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'invalid_token')
  })
})

t.test('AppError carries status and code', async (t) => {
  const error = new AppError('x_y', 418, 'teapot')
  t.equal(error.status, 418)
  t.equal(error.code, 'x_y')
})
