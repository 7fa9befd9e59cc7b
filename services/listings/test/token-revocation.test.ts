import { LISTINGS_EVENTS } from '@commons/contracts'
import { decodeJwt } from 'jose'
import t from 'tap'
import { moderator } from './fixtures.ts'
import { bearer, orgOwner, SERVICE_TOKEN, signUp, testApp } from './helpers.ts'

interface FeedEvent {
  type: string
  entityId: string
  version: number
  payload: Record<string, unknown>
}

async function feed(app: Awaited<ReturnType<typeof testApp>>['app']): Promise<FeedEvent[]> {
  const res = await app.inject({ method: 'GET', url: '/v1/events?limit=1000', headers: bearer(SERVICE_TOKEN) })
  return res.json().events
}

t.test('logout revokes the outstanding access token here and, through the feed, everywhere', async (t) => {
  const { app } = await testApp(t)
  const session = await signUp(app)
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session.accessToken) })).statusCode, 200)
  const out = await app.inject({
    method: 'POST',
    url: '/v1/auth/logout',
    payload: { refreshToken: session.refreshToken },
  })
  t.equal(out.statusCode, 204)
  const after = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session.accessToken) })
  t.equal(after.statusCode, 401)
  t.equal(after.json().code, 'token_revoked')
  const access = (await feed(app)).filter(
    (e) => e.type === LISTINGS_EVENTS.accountAccess && e.entityId === session.user.id,
  )
  t.same(
    access.map((e) => [e.version, e.payload]),
    [[1, { userId: session.user.id, moderator: false, tokenEpoch: 1 }]],
    'other services learn the new epoch',
  )

  // A new sign-in works with the new epoch.
  const login = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: session.user.email, password: 'correct horse battery' },
  })
  t.equal(login.statusCode, 200)
  t.equal(decodeJwt(login.json().accessToken).ep, 1)
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(login.json().accessToken) })).statusCode,
    200,
  )
})

t.test('tokens carry the versions other services compare with their replicas', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const owner = await orgOwner(app)
  const claims = decodeJwt(owner.token)
  const members = (await feed(app)).filter(
    (e) => e.type === LISTINGS_EVENTS.organizationMembers && e.entityId === owner.organization.id,
  )
  t.same(claims.ov, { [owner.organization.id]: members.at(-1)?.version })
  const mod = await moderator(app, databaseUrl, t)
  const modClaims = decodeJwt(mod.token)
  t.equal(modClaims.mod, true)
  const grant = (await feed(app)).filter((e) => e.type === LISTINGS_EVENTS.accountAccess && e.entityId === mod.user.id)
  t.same(
    grant.map((e) => e.payload.moderator),
    [true],
  )
  t.equal(modClaims.av, grant[0]?.version)
})
