import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@commons/contracts'
import { generateKeyPair, errors as joseErrors, SignJWT } from 'jose'
import type { KyselyPlugin } from 'kysely'
import t from 'tap'
import { TokenKeys } from '../src/auth/keys.ts'
import { testDb } from './fixtures.ts'
import { bearer, orgOwner, testApp } from './helpers.ts'

const stranger = async (kid: string | undefined) => {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  return new SignJWT({ orgs: {}, mod: true })
    .setProtectedHeader(kid ? { alg: 'EdDSA', kid } : { alg: 'EdDSA' })
    .setSubject('0195c0de-0000-7000-8000-000000000001')
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(privateKey)
}

t.test('a token with an unknown or missing kid', async (t) => {
  const { app } = await testApp(t)
  const owner = await orgOwner(app)
  for (const [name, token] of [
    ['unknown kid', await stranger('not-a-key')],
    ['missing kid', await stranger(undefined)],
  ] as const) {
    const open = await app.inject({
      method: 'GET',
      url: `/v1/organizations/${owner.organization.id}`,
      headers: bearer(token),
    })
    t.equal(open.statusCode, 200, `${name}: a public page still answers`)
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) })
    t.equal(me.statusCode, 401, `${name}: /v1/me is 401, not 503`)
  }
})

t.test('unknown kids reload the keys from the database at most once per cooldown', async (t) => {
  const { databaseUrl } = await testApp(t)
  let queries = 0
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      queries += 1
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  let now = Date.parse('2026-11-30T10:00:00Z')
  const keys = new TokenKeys(testDb(t, databaseUrl).withPlugin(counter), () => now)
  const keySource = keys.keySource()
  const source = async (header: { alg: string; kid: string }) => keySource(header, { payload: '', signature: '' })
  await keys.jwks()
  const warm = queries
  for (let i = 0; i < 50; i++) {
    await t.rejects(source({ alg: 'EdDSA', kid: `made-up-${i}` }), joseErrors.JWKSNoMatchingKey)
  }
  t.ok(queries - warm <= 3, `50 unknown kids cost ${queries - warm} queries (one reload at most)`)
  now += 11_000
  const before = queries
  await t.rejects(source({ alg: 'EdDSA', kid: 'made-up-later' }), joseErrors.JWKSNoMatchingKey)
  t.ok(queries > before, 'after the cooldown an unknown kid reloads again (a rotation elsewhere is picked up)')
})
