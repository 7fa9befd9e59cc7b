import { parseConfig } from '@commons/service-kit'
import { testDatabase } from '@commons/testkit'
import t, { type Test } from 'tap'
import { migrate } from '../src/app.ts'
import { ListingsConfig } from '../src/config.ts'
import { testDb } from './fixtures.ts'
import { bearer, buildTestApp, SERVICE_TOKEN, signUp } from './helpers.ts'

/** A listings app whose log is kept, so the test reads the code as a developer would in the log. */
async function appWithLog(t: Test, env: Record<string, string> = {}) {
  const databaseUrl = await testDatabase(t, { template: 'listings', prepare: (url) => migrate({ DATABASE_URL: url }) })
  const lines: string[] = []
  const config = parseConfig(ListingsConfig, {
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN,
    RUN_WORKERS: 'false',
    AUTH_RATE_LIMIT_MAX: '1000',
    ...env,
  })
  const app = await buildTestApp(config, { logStream: { write: (line) => void lines.push(line) } })
  t.teardown(() => app.close())
  /** The code of the newest development text message to `phone`. */
  const codeFor = (phone: string) => {
    for (const line of [...lines].reverse()) {
      const entry = JSON.parse(line)
      if (entry.devSms?.to === phone) {
        t.match(entry.msg, /DEV SMS — not sent/)
        return /验证码 (\d{6})/.exec(entry.devSms.text)![1]!
      }
    }
    throw new Error(`no text message to ${phone} in the log`)
  }
  return { app, databaseUrl, codeFor }
}

t.test('signing in with a mainland mobile number and a one-time code', async (t) => {
  const { app, databaseUrl, codeFor } = await appWithLog(t)
  const db = testDb(t, databaseUrl)
  const phone = '13800138000'
  const user = await signUp(app, { displayName: '李书记' })
  const ask = (p = phone) => app.inject({ method: 'POST', url: '/v1/auth/phone/code', payload: { phone: p } })
  const login = (code: string, p = phone) =>
    app.inject({ method: 'POST', url: '/v1/auth/phone/login', payload: { phone: p, code } })

  t.test('a number outside the mainland mobile plan is refused', async (t) => {
    t.equal((await ask('23800138000')).statusCode, 400)
    t.equal((await ask('1380013800')).statusCode, 400)
  })

  t.test('the account adds its number with a code, then signs in with a fresh one', async (t) => {
    const sent = await ask('+86 138 0013 8000')
    t.equal(sent.statusCode, 202)
    t.equal(sent.json().resendAfterSeconds, 60)
    const code = codeFor(phone)
    const stored = await db.selectFrom('phoneCodes').selectAll().where('phone', '=', phone).execute()
    t.equal(stored.length, 1)
    t.notOk(stored[0]!.codeHash.toString('hex').includes(code), 'only a hash of the code is kept')
    t.notOk(stored[0]!.codeHash.toString('utf8').includes(code))

    const attach = await app.inject({
      method: 'PUT',
      url: '/v1/me/phone',
      headers: bearer(user.accessToken),
      payload: { phone, code },
    })
    t.equal(attach.statusCode, 200)
    t.equal(attach.json().phone, phone)
    t.equal((await login(code)).json().code, 'invalid_code', 'a code works once')

    const again = await ask()
    t.equal(again.statusCode, 429, 'one code a minute per number')
    t.ok(Number(again.headers['retry-after']) > 0)
    await db
      .updateTable('phoneCodes')
      .set({ createdAt: new Date(Date.now() - 120_000) })
      .where('phone', '=', phone)
      .execute()
    t.equal((await ask()).statusCode, 202)
    const res = await login(codeFor(phone))
    t.equal(res.statusCode, 200)
    t.equal(res.json().user.id, user.user.id)
    t.ok(res.json().refreshToken)
    const claims = JSON.parse(Buffer.from(res.json().accessToken.split('.')[1], 'base64url').toString())
    t.equal(claims.name, '李书记', 'the token carries the display name bookings keeps as the booker')
  })

  t.test('five wrong guesses kill a code; an expired code fails', async (t) => {
    await db
      .updateTable('phoneCodes')
      .set({ createdAt: new Date(Date.now() - 120_000) })
      .execute()
    t.equal((await ask()).statusCode, 202)
    const code = codeFor(phone)
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) t.equal((await login(wrong)).json().code, 'invalid_code')
    t.equal((await login(code)).statusCode, 401, 'the right code no longer works after five wrong ones')

    await db
      .updateTable('phoneCodes')
      .set({ createdAt: new Date(Date.now() - 120_000) })
      .execute()
    t.equal((await ask()).statusCode, 202)
    await db
      .updateTable('phoneCodes')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .execute()
    t.equal((await login(codeFor(phone))).statusCode, 401)
  })

  t.test('a proven number without an account says so', async (t) => {
    const other = '13700137000'
    t.equal((await ask(other)).statusCode, 202)
    const res = await login(codeFor(other), other)
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'phone_not_registered')
  })

  t.test('a number signs in one account only', async (t) => {
    await db
      .updateTable('phoneCodes')
      .set({ createdAt: new Date(Date.now() - 120_000) })
      .execute()
    const someoneElse = await signUp(app)
    t.equal((await ask()).statusCode, 202)
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/me/phone',
      headers: bearer(someoneElse.accessToken),
      payload: { phone, code: codeFor(phone) },
    })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'phone_taken')
  })
})

t.test('closing an account can be confirmed with a code texted to its own number', async (t) => {
  const { app, databaseUrl, codeFor } = await appWithLog(t)
  const db = testDb(t, databaseUrl)
  const phone = '13900139000'
  const person = await signUp(app)
  const close = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v1/me/deletion', headers: bearer(person.accessToken), payload })

  const noPhone = await close({ code: '123456' })
  t.equal(noPhone.statusCode, 401, 'an account without a number cannot use a code')
  t.equal(noPhone.json().code, 'invalid_code')

  t.equal((await app.inject({ method: 'POST', url: '/v1/auth/phone/code', payload: { phone } })).statusCode, 202)
  const attached = await app.inject({
    method: 'PUT',
    url: '/v1/me/phone',
    headers: bearer(person.accessToken),
    payload: { phone, code: codeFor(phone) },
  })
  t.equal(attached.statusCode, 200)
  t.equal((await close({ code: codeFor(phone) })).json().code, 'invalid_code', 'a spent code does not confirm')
  t.equal((await close({ password: 'correct horse battery', code: '123456' })).statusCode, 400, 'one proof, not two')
  t.equal((await close({})).statusCode, 400)

  // The resend wait is a minute; the earlier code is made older instead of waiting.
  await db
    .updateTable('phoneCodes')
    .set({ createdAt: new Date(Date.now() - 120_000) })
    .execute()
  t.equal((await app.inject({ method: 'POST', url: '/v1/auth/phone/code', payload: { phone } })).statusCode, 202)
  const requested = await close({ code: codeFor(phone) })
  t.equal(requested.statusCode, 202)
  t.ok(requested.json().deletion.closesAt, 'the closing is scheduled')
})

t.test('in production without an SMS provider no code is made or logged', async (t) => {
  const { app } = await appWithLog(t, { NODE_ENV: 'production' })
  const res = await app.inject({ method: 'POST', url: '/v1/auth/phone/code', payload: { phone: '13800138000' } })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'sms_unavailable')
})
