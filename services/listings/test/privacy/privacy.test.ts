import type { App } from '@commons/service-kit'
import { TestClock } from '@commons/testkit'
import t, { type Test } from 'tap'
import { CURRENT_NOTICE } from '../../src/privacy/notice.ts'
import { eventsOf, testDb } from '../fixtures.ts'
import { bearer, createOrganization, joinOrganization, signUp, testApp, verificationToken } from '../helpers.ts'

const DAY = 86_400_000
const PASSWORD = 'correct horse battery'

/** A signed-in POST, as most steps here are. */
const postAs = (app: App, token: string, url: string, payload: object) =>
  app.inject({ method: 'POST', url, headers: bearer(token), payload })

/** A listings app whose clock the test moves, with the job runner off (jobs run through runDueJobs). */
async function privacyApp(t: Test) {
  const clock = new TestClock(new Date('2026-12-01T08:00:00Z'))
  const { app, databaseUrl } = await testApp(t, {}, { clock, exportServices: {} })
  return { app, db: testDb(t, databaseUrl), advance: (ms: number) => clock.advance(ms) }
}

let counter = 0
/** Signs up with the given consents and opens the mailed link; answers with the verification's response. */
const register = async (app: Awaited<ReturnType<typeof privacyApp>>['app'], privacy?: Record<string, unknown>) => {
  counter += 1
  const email = `privacy${counter}@example.org`
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email, password: PASSWORD, displayName: `隐私用户${counter}`, ...(privacy ? { privacy } : {}) },
  })
  if (res.statusCode !== 202) return res
  return app.inject({ method: 'POST', url: '/v1/auth/verify-email', payload: { token: verificationToken(app, email) } })
}

t.test('notice and consents', async (t) => {
  const { app, db } = await privacyApp(t)

  t.test('the notice is public, in both languages, with its version', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/privacy/notice' })
    t.equal(res.statusCode, 200)
    t.equal(res.json().version, CURRENT_NOTICE.version)
    t.ok(res.json().zhCN.sections.length > 0 && res.json().en.sections.length > 0)
  })

  t.test('sign-up records the accepted version, when, and the optional consents', async (t) => {
    const res = await register(app, {
      noticeVersion: CURRENT_NOTICE.version,
      personalisedRecommendations: true,
      emailNotifications: false,
    })
    t.equal(res.statusCode, 201)
    t.equal(res.json().mustAcceptNotice, false)
    const status = await app.inject({ method: 'GET', url: '/v1/me/privacy', headers: bearer(res.json().accessToken) })
    t.match(status.json(), {
      currentNoticeVersion: CURRENT_NOTICE.version,
      acceptedNoticeVersion: CURRENT_NOTICE.version,
      acceptedAt: '2026-12-01T08:00:00.000Z',
      mustAcceptNotice: false,
      consents: { personalisedRecommendations: true, emailNotifications: false },
      deletion: null,
    })
    const events = await eventsOf(db, res.json().user.id)
    t.same(
      events.map((e) => [e.type, e.payload]),
      [
        [
          'user.consents_changed',
          { userId: res.json().user.id, consents: { personalisedRecommendations: true, emailNotifications: false } },
        ],
      ],
      'the services that honour consents learn them from the feed; no email or name on it',
    )
  })

  t.test('without an accepted notice, sign-in and /me ask for it until the current version is accepted', async (t) => {
    const res = await register(app)
    t.equal(res.json().mustAcceptNotice, true)
    const token = res.json().accessToken
    t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) })).json().mustAcceptNotice, true)
    const old = await postAs(app, token, '/v1/me/privacy/notice-acceptance', { version: '2020-01-01' })
    t.equal(old.statusCode, 409)
    t.equal(old.json().code, 'notice_outdated')
    const ok = await postAs(app, token, '/v1/me/privacy/notice-acceptance', { version: CURRENT_NOTICE.version })
    t.equal(ok.statusCode, 200)
    t.equal(ok.json().mustAcceptNotice, false)
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: res.json().user.email, password: PASSWORD },
    })
    t.equal(login.json().mustAcceptNotice, false)
  })

  t.test('consents are revocable and each change goes on the feed', async (t) => {
    const res = await register(app, { noticeVersion: CURRENT_NOTICE.version, personalisedRecommendations: true })
    const token = res.json().accessToken
    const revoke = await app.inject({
      method: 'PATCH',
      url: '/v1/me/privacy/consents',
      headers: bearer(token),
      payload: { personalisedRecommendations: false },
    })
    t.equal(revoke.statusCode, 200)
    t.same(revoke.json().consents, { personalisedRecommendations: false, emailNotifications: false })
    const events = await eventsOf(db, res.json().user.id)
    t.same(
      events.map((e) => [e.type, e.version]),
      [
        ['user.consents_changed', 1],
        ['user.consents_changed', 2],
      ],
    )
    const empty = await app.inject({
      method: 'PATCH',
      url: '/v1/me/privacy/consents',
      headers: bearer(token),
      payload: {},
    })
    t.equal(empty.statusCode, 400)
    t.equal((await app.inject({ method: 'GET', url: '/v1/me/privacy' })).statusCode, 401)
  })
})

t.test('closing an account', async (t) => {
  const { app, db, advance } = await privacyApp(t)

  t.test('needs the password again; a sole owner must hand the organization over first', async (t) => {
    const owner = await signUp(app)
    const { organization, accessToken } = await createOrganization(app, owner.accessToken, { name: '某社区居委会' })
    const wrong = await postAs(app, accessToken, '/v1/me/deletion', { password: 'not the password 1' })
    t.equal(wrong.statusCode, 401)
    t.equal(wrong.json().code, 'invalid_credentials')
    const sole = await postAs(app, accessToken, '/v1/me/deletion', { password: PASSWORD })
    t.equal(sole.statusCode, 409)
    t.equal(sole.json().code, 'sole_owner')
    t.match(sole.json().detail, '某社区居委会')

    const heir = await signUp(app)
    await joinOrganization(app, accessToken, organization.id, heir, 'owner')
    const ok = await postAs(app, accessToken, '/v1/me/deletion', { password: PASSWORD })
    t.equal(ok.statusCode, 202, 'with another owner, the request is accepted')
  })

  t.test('the cooling-off period can be cancelled; nothing closes', async (t) => {
    const person = await signUp(app)
    const request = await postAs(app, person.accessToken, '/v1/me/deletion', { password: PASSWORD })
    t.equal(request.statusCode, 202)
    t.equal(Date.parse(request.json().deletion.closesAt) - Date.parse(request.json().deletion.requestedAt), 7 * DAY)
    const cancel = await app.inject({ method: 'DELETE', url: '/v1/me/deletion', headers: bearer(person.accessToken) })
    t.equal(cancel.statusCode, 200)
    t.equal(cancel.json().deletion, null)
    const again = await app.inject({ method: 'DELETE', url: '/v1/me/deletion', headers: bearer(person.accessToken) })
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'deletion_not_requested')
    advance(8 * DAY)
    await app.listings.runDueJobs()
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: person.user.email, password: PASSWORD },
    })
    t.equal(login.statusCode, 200, 'a cancelled request leaves the account open')
  })

  t.test('after the cooling-off period the account is closed and account.closed goes on the feed', async (t) => {
    const owner = await signUp(app)
    const { organization, accessToken: ownerToken } = await createOrganization(app, owner.accessToken, {
      name: '某青年志愿者协会',
    })
    const person = await signUp(app, { displayName: '张小明' })
    await joinOrganization(app, ownerToken, organization.id, person)
    const request = await postAs(app, person.accessToken, '/v1/me/deletion', { password: PASSWORD })
    t.equal(request.statusCode, 202)
    advance(7 * DAY - 60_000)
    await app.listings.runDueJobs()
    t.equal((await eventsOf(db, person.user.id)).length, 0, 'not before the period is over')

    advance(60_000)
    await app.listings.runDueJobs()
    const events = await eventsOf(db, person.user.id)
    t.same(
      events.map((e) => e.type),
      ['account.closed'],
    )
    t.same(Object.keys(events[0]?.payload as object).sort(), ['closedAt', 'userId'])

    const user = await db.selectFrom('users').selectAll().where('id', '=', person.user.id).executeTakeFirstOrThrow()
    t.equal(user.displayName, '已注销用户')
    t.equal(user.phone, null)
    t.not(user.email, person.user.email)
    t.ok(user.closedAt)
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: person.user.email, password: PASSWORD },
    })
    t.equal(login.statusCode, 401)
    const refresh = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: person.refreshToken },
    })
    t.equal(refresh.statusCode, 401, 'sessions end with the account')
    const members = await eventsOf(db, organization.id)
    const last = members.filter((e) => e.type === 'organization.members').at(-1)
    t.notOk(JSON.stringify(last?.payload).includes(person.user.id), 'the organization no longer lists them')
    const list = await app.inject({
      method: 'GET',
      url: `/v1/organizations/${organization.id}/members`,
      headers: bearer(ownerToken),
    })
    t.notOk(list.body.includes('张小明') || list.body.includes(person.user.email))
  })
})

t.test('exporting', async (t) => {
  const { app, advance } = await privacyApp(t)
  const person = await signUp(app, { displayName: '李导出' })
  const started = await app.inject({ method: 'POST', url: '/v1/me/exports', headers: bearer(person.accessToken) })
  t.equal(started.statusCode, 202)
  t.equal(started.json().status, 'pending')
  t.equal(started.json().downloadUrl, null)
  const id = started.json().id

  const stranger = await signUp(app)
  const peek = await app.inject({ method: 'GET', url: `/v1/me/exports/${id}`, headers: bearer(stranger.accessToken) })
  t.equal(peek.statusCode, 404, "nobody sees another person's export")

  await app.listings.runDueJobs()
  const ready = await app.inject({ method: 'GET', url: `/v1/me/exports/${id}`, headers: bearer(person.accessToken) })
  t.equal(ready.json().status, 'ready')
  const url: string = ready.json().downloadUrl
  t.match(url, /^\/v1\/privacy\/exports\/.+\/archive\?expires=\d+&sig=/)

  const archive = await app.inject({ method: 'GET', url })
  t.equal(archive.statusCode, 200)
  t.match(archive.headers['content-disposition'], /attachment/)
  t.equal(archive.json().parts.listings.profile.email, person.user.email)
  t.equal(archive.json().parts.listings.profile.displayName, '李导出')

  // A signature that differs in its first character (always: one starting with x becomes y).
  const forged = url.replace(/sig=(.)/, (_, first: string) => `sig=${first === 'x' ? 'y' : 'x'}`)
  t.not(forged, url)
  const tampered = await app.inject({ method: 'GET', url: forged })
  t.equal(tampered.statusCode, 403)
  t.equal(tampered.json().code, 'export_link_invalid')
  advance(25 * 3_600_000)
  const expired = await app.inject({ method: 'GET', url })
  t.equal(expired.statusCode, 403, 'the link expires')
  t.equal(
    (await app.inject({ method: 'GET', url: `/v1/me/exports/${id}`, headers: bearer(person.accessToken) })).json()
      .downloadUrl,
    null,
  )
})
