import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import t from 'tap'
import { bearer, mailTo, signUp, testApp, verificationToken } from './helpers.ts'

t.test('register', async (t) => {
  // No spacing between account mails, so the second sign-up below mails the owner at once.
  const { app } = await testApp(t, { EMAIL_RESEND_SECONDS: '0' })

  t.test('creates an unverified account and mails a link; the link verifies and signs in', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: '  Li.Wei@Example.ORG ', password: 'correct horse battery', displayName: '李伟' },
    })
    t.equal(res.statusCode, 202)
    t.same(res.json(), { status: 'verification_sent' }, 'no session before the email is verified')
    const mails = mailTo(app, 'li.wei@example.org')
    t.equal(mails.length, 1, 'the mail goes to the normalised email')
    t.match(mails[0]!.subject, /验证/)
    t.match(mails[0]!.text, /^李伟，您好/)
    const verified = await app.inject({
      method: 'POST',
      url: '/v1/auth/verify-email',
      payload: { token: verificationToken(app, 'li.wei@example.org') },
    })
    t.equal(verified.statusCode, 201)
    const body = verified.json()
    t.equal(body.user.email, 'li.wei@example.org', 'email is normalised')
    t.equal(body.user.moderator, false)
    t.ok(body.accessToken && body.refreshToken)
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(body.accessToken) })
    t.equal(me.statusCode, 200)
    t.same(me.json().memberships, [])
  })

  t.test('the same email in another case answers as a new one would, and mails its owner', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: 'LI.WEI@example.org', password: 'another good pass 1', displayName: 'x' },
    })
    t.equal(res.statusCode, 202)
    t.same(res.json(), { status: 'verification_sent' })
    const mails = mailTo(app, 'li.wei@example.org')
    t.equal(mails.length, 2)
    t.match(mails[1]!.subject, /已经注册/)
    t.notMatch(mails[1]!.text, /verify-email/, 'no link that would sign anyone in')
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'li.wei@example.org', password: 'correct horse battery' },
    })
    t.equal(login.statusCode, 200, 'the account and its password are unchanged')
  })

  t.test('a weak password is 400 naming the field', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: 'weak@example.org', password: 'short1', displayName: 'x' },
    })
    t.equal(res.statusCode, 400)
    t.same(
      res.json().errors.map((e: { path: string }) => e.path),
      ['body.password'],
    )
  })

  t.test('unknown fields are refused', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: 'x@example.org', password: 'correct horse battery', displayName: 'x', moderator: true },
    })
    t.equal(res.statusCode, 400)
    t.match(res.json().errors, [{ path: 'body.moderator' }])
  })
})

t.test('login', async (t) => {
  const { app } = await testApp(t)
  await signUp(app, { email: 'wang@example.org', password: 'correct horse battery' })

  t.test('right password signs in', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'WANG@example.org', password: 'correct horse battery' },
    })
    t.equal(res.statusCode, 200)
    t.equal(res.json().user.email, 'wang@example.org')
  })

  t.test('wrong password and unknown email answer alike', async (t) => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'wang@example.org', password: 'wrong password 1' },
    })
    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'nobody@example.org', password: 'wrong password 1' },
    })
    t.equal(wrong.statusCode, 401)
    t.equal(unknown.statusCode, 401)
    t.equal(wrong.json().code, 'invalid_credentials')
    t.equal(unknown.json().detail, wrong.json().detail)
  })
})

t.test('login is rate limited per IP with Retry-After', async (t) => {
  const { app } = await testApp(t, { AUTH_RATE_LIMIT_MAX: '3' })
  const attempt = () =>
    app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'a@example.org', password: 'whatever 123' } })
  for (let i = 0; i < 3; i++) t.equal((await attempt()).statusCode, 401)
  const limited = await attempt()
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().code, 'rate_limited')
  t.ok(Number(limited.headers['retry-after']) > 0)
})

t.test('refresh tokens rotate and reuse revokes the family', async (t) => {
  const { app } = await testApp(t)
  const session = await signUp(app)
  const refresh = (token: string) =>
    app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: token } })

  const first = await refresh(session.refreshToken)
  t.equal(first.statusCode, 200)
  const rotated = first.json().refreshToken
  t.not(rotated, session.refreshToken)

  const reuse = await refresh(session.refreshToken)
  t.equal(reuse.statusCode, 401)
  t.equal(reuse.json().code, 'refresh_token_reused')

  const afterReuse = await refresh(rotated)
  t.equal(afterReuse.statusCode, 401, 'the whole family is revoked, including the newest token')
  t.equal(afterReuse.json().code, 'invalid_refresh_token')

  const other = await signUp(app)
  const otherRefresh = await refresh(other.refreshToken)
  t.equal(otherRefresh.statusCode, 200, 'other sessions are untouched')
})

t.test('two concurrent refreshes with one token: exactly one wins', async (t) => {
  const { app } = await testApp(t)
  const session = await signUp(app)
  const results = await Promise.all(
    [1, 2].map(() =>
      app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: session.refreshToken } }),
    ),
  )
  t.same(results.map((r) => r.statusCode).sort(), [200, 401])
})

t.test('logout ends the session', async (t) => {
  const { app } = await testApp(t)
  const session = await signUp(app)
  const out = await app.inject({
    method: 'POST',
    url: '/v1/auth/logout',
    payload: { refreshToken: session.refreshToken },
  })
  t.equal(out.statusCode, 204)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken: session.refreshToken },
  })
  t.equal(res.statusCode, 401)
})

t.test('access tokens are EdDSA JWTs verifiable with the published JWKS, keys survive restarts', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const session = await signUp(app)
  const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json()
  t.equal(jwks.keys.length, 1)
  t.equal(jwks.keys[0].crv, 'Ed25519')
  t.notOk(jwks.keys[0].d, 'no private part is published')
  const header = decodeProtectedHeader(session.accessToken)
  t.equal(header.alg, 'EdDSA')
  t.equal(header.kid, jwks.keys[0].kid)
  const { payload } = await jwtVerify(session.accessToken, createLocalJWKSet(jwks))
  t.equal(payload.sub, session.user.id)
  const lifetime = Number(decodeJwt(session.accessToken).exp) - Number(decodeJwt(session.accessToken).iat)
  t.equal(lifetime, 900)

  // A second app on the same database (a restart, or a replica) signs with the same key.
  const { buildApp } = await import('../src/app.ts')
  const { parseConfig } = await import('@commons/service-kit')
  const { ListingsConfig } = await import('../src/config.ts')
  const again = await buildApp(
    parseConfig(ListingsConfig, { LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, SERVICE_TOKEN: 's'.repeat(40) }),
  )
  t.teardown(() => again.close())
  const me = await again.inject({ method: 'GET', url: '/v1/me', headers: bearer(session.accessToken) })
  t.equal(me.statusCode, 200)
  t.same((await again.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json(), jwks)
})

t.test('/v1/me without a token is 401', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/me' })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'unauthenticated')
})

t.test('refresh has its own per-IP ceiling: one office behind a NAT stays signed in', async (t) => {
  const { app } = await testApp(t, { AUTH_RATE_LIMIT_MAX: '20' })
  const account = await signUp(app, { password: 'correct horse battery' })
  const login = (remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress,
      payload: { email: account.user.email, password: 'correct horse battery' },
    })
  // Thirty colleagues, each signed in on their own machine (sessions made from distinct addresses so the
  // sign-in limit does not stand in the way of the setup)...
  const sessions = []
  for (let i = 0; i < 30; i++) {
    const res = await login(`10.1.0.${i + 1}`)
    t.equal(res.statusCode, 200)
    sessions.push(res.json())
  }
  // ...whose access tokens expire in the same minute, all behind the office's one public address.
  const office = '203.0.113.7'
  for (const [i, session] of sessions.entries()) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      remoteAddress: office,
      payload: { refreshToken: session.refreshToken },
    })
    t.equal(res.statusCode, 200, `refresh ${i + 1} of 30 from one address`)
  }
  // Sign-in from that address keeps its own, lower limit.
  for (let i = 0; i < 20; i++) t.equal((await login(office)).statusCode, 200)
  const limited = await login(office)
  t.equal(limited.statusCode, 429, 'the 21st sign-in in a minute from one address waits')
  t.equal(limited.json().code, 'rate_limited')
})
