import t from 'tap'
import { moderator, testDb } from './fixtures.ts'
import { bearer, joinOrganization, orgOwner, signUp, testApp } from './helpers.ts'

t.test('passwords that are blank, repetitive or common are refused at registration', async (t) => {
  const { app } = await testApp(t)
  for (const password of [
    ' '.repeat(16),
    '\u200b'.repeat(16),
    '\u3000\u200b \u200c'.repeat(5),
    'aaaaaaaaaaaaaaaa',
    'abababababababab',
    'password12',
    'Password2026',
    'qwertyuiop1',
    'iloveyou1234',
  ]) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: `p${Math.random()}@example.org`, password, displayName: '测试' },
    })
    t.equal(res.statusCode, 400, JSON.stringify(password))
    t.same(
      res.json().errors?.map((e: { path: string }) => e.path),
      ['body.password'],
    )
  }
  const fine = await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email: 'fine@example.org', password: '共享资源超市2026年春', displayName: '测试' },
  })
  t.equal(fine.statusCode, 202)
})

t.test('failed logins lock the email with a doubling backoff, right password included', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const user = (await signUp(app, { email: 'zhao@example.org', password: 'correct horse battery' })).user
  const login = (email: string, password: string) =>
    app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } })
  const expireLock = () =>
    db
      .updateTable('loginThrottle')
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .execute()

  for (let i = 0; i < 5; i++) t.equal((await login('zhao@example.org', `wrong guess ${i}`)).statusCode, 401)
  const locked = await login('zhao@example.org', 'correct horse battery')
  t.equal(locked.statusCode, 429, 'even the right password waits out the lock')
  t.equal(locked.json().code, 'login_throttled')
  const first = Number(locked.headers['retry-after'])
  t.ok(first >= 1, `Retry-After ${first}`)

  const notice = await db
    .selectFrom('auditLog')
    .selectAll()
    .where('objectId', '=', user.id)
    .where('action', '=', 'account.login_throttled')
    .execute()
  t.equal(notice.length, 1, 'the account gets one notice in the audit log')

  await expireLock()
  t.equal((await login('zhao@example.org', 'wrong guess 6')).statusCode, 401)
  const again = await login('zhao@example.org', 'correct horse battery')
  t.equal(again.statusCode, 429)
  t.ok(Number(again.headers['retry-after']) > first, 'the next lock is longer')

  await expireLock()
  t.equal((await login('zhao@example.org', 'correct horse battery')).statusCode, 200)
  t.equal((await db.selectFrom('loginThrottle').selectAll().execute()).length, 0, 'success forgets the failures')
  t.equal((await login('zhao@example.org', 'wrong guess 7')).statusCode, 401, 'and starts the count afresh')

  for (let i = 0; i < 5; i++) await login('nobody@example.org', `wrong guess ${i}`)
  const unknown = await login('nobody@example.org', 'wrong guess 5')
  t.equal(unknown.statusCode, 429, 'an unknown email is throttled alike, so the answer reveals nothing')
})

t.test("plain members do not see other members' emails; admins and moderators do", async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const owner = await orgOwner(app)
  const member = await signUp(app)
  await joinOrganization(app, owner.token, owner.organization.id, member)
  const list = (token: string) =>
    app.inject({ method: 'GET', url: `/v1/organizations/${owner.organization.id}/members`, headers: bearer(token) })
  const seenByMember = (await list(member.accessToken)).json().items as Array<{ email: string | null }>
  t.equal(seenByMember.length, 2)
  t.ok(
    seenByMember.every((m) => m.email === null),
    'no email reaches a plain member',
  )
  t.notMatch((await list(member.accessToken)).body, /@example\.org/)
  const seenByOwner = (await list(owner.token)).json().items as Array<{ email: string | null }>
  t.same(seenByOwner.map((m) => m.email).sort(), [owner.user.email, member.user.email].sort())
  const mod = await moderator(app, databaseUrl, t)
  t.ok(((await list(mod.token)).json().items as Array<{ email: string | null }>).every((m) => m.email))
})
