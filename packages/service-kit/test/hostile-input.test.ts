import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@commons/contracts'
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose'
import t, { type Test } from 'tap'
import { z } from 'zod'
import { type App, BaseConfig, buildService, type KeySource, parseConfig, requireActor } from '../src/index.ts'

async function service(t: Test, keys?: KeySource): Promise<App> {
  const app = await buildService({ name: 'test', config: parseConfig(BaseConfig, { LOG_LEVEL: 'silent' }), keys })
  app.post(
    '/v1/notes',
    {
      schema: {
        operationId: 'createNote',
        tags: ['notes'],
        body: z.object({ text: z.string(), extra: z.unknown().optional() }),
        response: { 201: z.object({ text: z.string() }) },
      },
    },
    async (request, reply) => reply.code(201).send({ text: request.body.text }),
  )
  app.get('/v1/public', { schema: { operationId: 'publicThing', tags: ['notes'] } }, async (request) => ({
    actor: request.actor,
  }))
  app.get(
    '/v1/private',
    { schema: { operationId: 'privateThing', tags: ['notes'], security: [{ bearerAuth: [] }] } },
    async (request) => requireActor(request),
  )
  t.teardown(() => app.close())
  return app
}

const postRaw = (app: App, raw: string) =>
  app.inject({ method: 'POST', url: '/v1/notes', headers: { 'content-type': 'application/json' }, payload: raw })

t.test('JSON strings with a lone surrogate or NUL are 400 invalid_text, in values and in keys', async (t) => {
  const app = await service(t)
  for (const raw of [
    '{"text":"\\ud800"}',
    '{"text":"abc\\udfffdef"}',
    '{"text":"\\ude00\\ud83d"}',
    '{"text":"a\\u0000b"}',
    '{"text":"ok","extra":{"nested":["\\ud800"]}}',
    '{"text":"ok","extra":{"\\u0000key":1}}',
  ]) {
    const res = await postRaw(app, raw)
    t.equal(res.statusCode, 400, raw)
    t.equal(res.json().code, 'invalid_text', raw)
  }
  const fine = await postRaw(app, '{"text":"会议室 \\ud83d\\ude00 ok"}')
  t.equal(fine.statusCode, 201, 'a surrogate pair (an emoji) is text like any other')
  t.equal(fine.json().text, '会议室 😀 ok')
})

t.test('deeply nested JSON is 400 json_too_deep; prototype poisoning is still refused', async (t) => {
  const app = await service(t)
  const deep = `{"text":"x","extra":${'['.repeat(5000)}${']'.repeat(5000)}}`
  const res = await postRaw(app, deep)
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'json_too_deep')
  const poisoned = await postRaw(app, '{"text":"x","__proto__":{"admin":true}}')
  t.equal(poisoned.statusCode, 400)
  const broken = await postRaw(app, '{"text":')
  t.equal(broken.json().code, 'invalid_json')
})

t.test('a token under an unknown or missing kid: anonymous on public routes, 401 where a user is needed', async (t) => {
  const known = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const keys = createLocalJWKSet({
    keys: [
      { ...(await exportJWK(known.publicKey)), kid: 'k1', alg: 'EdDSA' },
      { ...(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519' })).publicKey)), kid: 'k2', alg: 'EdDSA' },
    ],
  })
  const app = await service(t, keys)
  const sign = (header: { alg: string; kid?: string }) =>
    new SignJWT({ orgs: {}, mod: true })
      .setProtectedHeader(header)
      .setSubject('0195c0de-0000-7000-8000-000000000001')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(known.privateKey)
  for (const [name, token] of [
    ['unknown kid', await sign({ alg: 'EdDSA', kid: 'made-up' })],
    ['missing kid', await sign({ alg: 'EdDSA' })],
  ] as const) {
    const open = await app.inject({ method: 'GET', url: '/v1/public', headers: { authorization: `Bearer ${token}` } })
    t.equal(open.statusCode, 200, `${name}: the public route answers`)
    t.same(open.json(), { actor: null }, `${name}: as an anonymous caller`)
    const closed = await app.inject({
      method: 'GET',
      url: '/v1/private',
      headers: { authorization: `Bearer ${token}` },
    })
    t.equal(closed.statusCode, 401, `${name}: a route that needs a user says 401`)
    t.equal(closed.json().code, 'unknown_key')
  }
  const good = await sign({ alg: 'EdDSA', kid: 'k1' })
  const me = await app.inject({ method: 'GET', url: '/v1/private', headers: { authorization: `Bearer ${good}` } })
  t.equal(me.statusCode, 200)
})
