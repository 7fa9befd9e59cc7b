import { createDb, migrateToLatest } from '@commons/db'
import { TestClock, testDatabase } from '@commons/testkit'
import { sql } from 'kysely'
import t, { type Test } from 'tap'
import { SCHEMA } from '../src/app.ts'
import { migrations } from '../src/db/migrations/index.ts'
import type { DB } from '../src/db/schema.ts'
import { testDb } from './fixtures.ts'
import { bearer, mailTo, signUp, testApp, verificationToken } from './helpers.ts'

const PASSWORD = 'correct horse battery'
const HOUR = 3600_000

/** A listings app whose clock the test moves. */
async function clockedApp(t: Test, env: Record<string, string> = {}) {
  const clock = new TestClock(new Date('2026-12-01T08:00:00Z'))
  const { app } = await testApp(t, env, { clock })
  return { app, advance: (ms: number) => clock.advance(ms) }
}

type App = Awaited<ReturnType<typeof testApp>>['app']
const register = (app: App, email: string, password = PASSWORD) =>
  app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email, password, displayName: '王小明' } })
const verify = (app: App, token: string) =>
  app.inject({ method: 'POST', url: '/v1/auth/verify-email', payload: { token } })
const login = (app: App, email: string, password = PASSWORD) =>
  app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } })
const resend = (app: App, email: string) =>
  app.inject({ method: 'POST', url: '/v1/auth/verify-email/resend', payload: { email } })

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

t.test('register answers the same for a new and an existing email', async (t) => {
  const { app } = await testApp(t)
  await signUp(app, { email: 'taken@example.org' })
  const fresh = await register(app, 'fresh@example.org', 'another good pass 1')
  const taken = await register(app, 'taken@example.org', 'another good pass 1')
  t.equal(fresh.statusCode, 202)
  t.equal(taken.statusCode, fresh.statusCode)
  t.equal(taken.body, fresh.body)
  t.same(fresh.json(), { status: 'verification_sent' })
  t.equal(taken.headers['content-type'], fresh.headers['content-type'])
  t.same(Object.keys(taken.headers).sort(), Object.keys(fresh.headers).sort(), 'the same headers')

  // Both paths hash the password, so neither answers measurably sooner. Interleaved medians, loose
  // bounds: an answer that skipped hashing would be an order of magnitude quicker.
  const times = { fresh: [] as number[], taken: [] as number[] }
  for (let i = 0; i < 7; i++) {
    let started = performance.now()
    await register(app, `fresh${i}@example.org`, 'another good pass 1')
    times.fresh.push(performance.now() - started)
    started = performance.now()
    await register(app, 'taken@example.org', 'another good pass 1')
    times.taken.push(performance.now() - started)
  }
  const ratio = median(times.taken) / median(times.fresh)
  t.ok(ratio > 0.4 && ratio < 2.5, `existing / new email answer time ${ratio.toFixed(2)} (medians)`)

  t.test('validation does not depend on the email existing', async (t) => {
    const weakFresh = await register(app, 'other@example.org', 'password12')
    const weakTaken = await register(app, 'taken@example.org', 'password12')
    t.equal(weakFresh.statusCode, 400)
    t.equal(weakTaken.statusCode, 400)
    t.same(
      { ...weakTaken.json(), requestId: undefined, instance: undefined },
      { ...weakFresh.json(), requestId: undefined, instance: undefined },
    )
  })
})

t.test('an unverified account cannot sign in; the right password gets a fresh link', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  t.equal((await register(app, 'new@example.org')).statusCode, 202)
  t.equal(mailTo(app, 'new@example.org').length, 1)

  const wrong = await login(app, 'new@example.org', 'not the password')
  t.equal(wrong.statusCode, 401, 'a wrong password answers as for any account')
  t.equal(wrong.json().code, 'invalid_credentials')
  t.equal(mailTo(app, 'new@example.org').length, 1, 'and sends nothing')

  // The first link was mailed moments ago, so the fresh one waits for the resend spacing: make it due.
  const db = testDb(t, databaseUrl)
  await db.updateTable('accountMails').set({ sentAt: sql<Date>`sent_at - interval '2 minutes'` }).execute()
  const right = await login(app, 'new@example.org')
  t.equal(right.statusCode, 403)
  t.equal(right.json().code, 'email_unverified')
  t.notOk(right.json().accessToken, 'no session')
  t.equal(mailTo(app, 'new@example.org').length, 2, 'a fresh link was mailed')

  const session = await verify(app, verificationToken(app, 'new@example.org'))
  t.equal(session.statusCode, 201)
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session.json().accessToken) })).statusCode,
    200,
  )
  t.equal((await login(app, 'new@example.org')).statusCode, 200, 'signs in once verified')
})

t.test('a link works once, and verifying ends every other link of the account', async (t) => {
  const { app, advance } = await clockedApp(t)
  await register(app, 'once@example.org')
  const first = verificationToken(app, 'once@example.org')
  advance(2 * 60_000)
  t.equal((await resend(app, 'once@example.org')).statusCode, 202)
  const second = verificationToken(app, 'once@example.org')
  t.not(second, first)

  t.equal((await verify(app, second)).statusCode, 201)
  const again = await verify(app, second)
  t.equal(again.statusCode, 400)
  t.equal(again.json().code, 'invalid_verification_link')
  const older = await verify(app, first)
  t.equal(older.statusCode, 400, 'the older link stopped working too')
  t.equal(older.json().code, 'invalid_verification_link')
  const forged = await verify(app, 'x'.repeat(43))
  t.equal(forged.statusCode, 400)
  t.equal(forged.json().code, 'invalid_verification_link')
})

t.test('a link expires after a day; a resent one works', async (t) => {
  const { app, advance } = await clockedApp(t)
  await register(app, 'late@example.org')
  const stale = verificationToken(app, 'late@example.org')
  advance(24 * HOUR + 1000)
  const expired = await verify(app, stale)
  t.equal(expired.statusCode, 400)
  t.equal(expired.json().code, 'invalid_verification_link')
  await resend(app, 'late@example.org')
  t.equal((await verify(app, verificationToken(app, 'late@example.org'))).statusCode, 201)
})

t.test('resend answers the same for every email and mails only unverified accounts, spaced', async (t) => {
  const { app, advance } = await clockedApp(t)
  await register(app, 'waiting@example.org')
  const verified = await signUpClocked(app, advance, 'done@example.org')
  const answers = await Promise.all(
    ['waiting@example.org', 'done@example.org', 'nobody@example.org'].map((email) => resend(app, email)),
  )
  for (const res of answers) {
    t.equal(res.statusCode, 202)
    t.same(res.json(), { status: 'verification_sent' })
  }
  t.equal(mailTo(app, 'waiting@example.org').length, 1, 'within a minute of the first mail, nothing more')
  advance(61_000)
  await resend(app, 'waiting@example.org')
  t.equal(mailTo(app, 'waiting@example.org').length, 2, 'after the spacing, a new link')
  await resend(app, 'done@example.org')
  t.equal(mailTo(app, verified).length, 1, 'a verified account gets no link')
  t.equal(mailTo(app, 'nobody@example.org').length, 0, 'an unknown email gets nothing')

  // At most five a hour, however the requests are spaced.
  for (let i = 0; i < 6; i++) {
    advance(61_000)
    await resend(app, 'waiting@example.org')
  }
  t.equal(mailTo(app, 'waiting@example.org').length, 5)
})

async function signUpClocked(app: App, advance: (ms: number) => void, email: string) {
  await register(app, email)
  advance(1000)
  const res = await verify(app, verificationToken(app, email))
  if (res.statusCode !== 201) throw new Error(res.body)
  return email
}

t.test('the migration marks accounts from before it verified', async (t) => {
  const before = Object.fromEntries(
    Object.entries(migrations).filter(([name]) => name < '2026-12-01T0200-email-verification'),
  )
  const databaseUrl = await testDatabase(t, {
    template: 'listings-pre-email-verification',
    prepare: async (url) => {
      const db = createDb<DB>({ url, schema: SCHEMA, poolMax: 1 })
      try {
        await migrateToLatest(db, { schema: SCHEMA, migrations: before })
      } finally {
        await db.destroy()
      }
    },
  })
  const db = createDb<DB>({ url: databaseUrl, schema: SCHEMA, poolMax: 1 })
  t.teardown(() => db.destroy())
  await sql`insert into users (id, email, password_hash, display_name) values
    (gen_random_uuid(), 'old@example.org', 'x', '老用户')`.execute(db)
  await migrateToLatest(db, { schema: SCHEMA, migrations })
  const row = await db.selectFrom('users').selectAll().where('email', '=', 'old@example.org').executeTakeFirstOrThrow()
  t.ok(row.emailVerifiedAt, 'verified')
  t.same(row.emailVerifiedAt, row.createdAt, 'as of its creation')
})
