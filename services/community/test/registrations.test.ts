import t from 'tap'
import { hostOrganization, publishedActivity, signUp } from './fixtures.ts'
import { person, SERVICE_TOKEN, testApp } from './helpers.ts'

t.test('200 concurrent sign-ups for 50 places confirm exactly 50 and waitlist the rest in arrival order', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const activity = await publishedActivity(h, host, { capacity: 50 })
  const people = await Promise.all(Array.from({ length: 200 }, () => person()))
  const answers = await Promise.all(people.map((p) => signUp(h, activity.id, p)))
  t.same([...new Set(answers.map((a) => a.statusCode))], [201])
  const { db } = h.app.community.deps
  const rows = await db
    .selectFrom('registrations')
    .select(['id', 'status', 'seq'])
    .where('activityId', '=', activity.id)
    .orderBy('seq')
    .execute()
  t.equal(rows.filter((r) => r.status === 'confirmed').length, 50)
  t.equal(rows.filter((r) => r.status === 'waitlisted').length, 150)
  t.ok(
    rows.slice(0, 50).every((r) => r.status === 'confirmed'),
    'the first 50 to take the activity’s lock have the places',
  )
  const list = await h.app.inject({
    method: 'GET',
    url: `/v1/activities/${activity.id}/registrations`,
    headers: host.admin.headers,
  })
  const waitlist = list.json().items.filter((r: { status: string }) => r.status === 'waitlisted')
  t.same(
    waitlist.map((r: { waitlistPosition: number }) => r.waitlistPosition),
    Array.from({ length: 150 }, (_, i) => i + 1),
  )
  t.same(
    waitlist.map((r: { id: string }) => r.id),
    rows.slice(50).map((r) => r.id),
    'the waitlist keeps arrival order',
  )
  const shown = await h.app.inject({ method: 'GET', url: `/v1/activities/${activity.id}` })
  t.match(shown.json(), { attendees: 50, waitlisted: 150 })
})

t.test('a withdrawal promotes the first on the waitlist; withdrawals close at the cut-off', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const activity = await publishedActivity(h, host, { capacity: 1 })
  const [first, second, third] = await Promise.all([person(), person(), person()])
  t.equal((await signUp(h, activity.id, first)).json().status, 'confirmed')
  t.equal((await signUp(h, activity.id, second)).json().waitlistPosition, 1)
  t.equal((await signUp(h, activity.id, third)).json().waitlistPosition, 2)
  const out = await h.app.inject({
    method: 'DELETE',
    url: `/v1/activities/${activity.id}/registrations/me`,
    headers: first.headers,
  })
  t.equal(out.statusCode, 204)
  const mine = await h.app.inject({
    method: 'GET',
    url: `/v1/activities/${activity.id}/registrations/me`,
    headers: second.headers,
  })
  t.equal(mine.json().status, 'confirmed', 'the first waiting took the place')
  t.match(mine.json().qrSvg, /^<svg/)
  const thirdNow = await h.app.inject({
    method: 'GET',
    url: `/v1/activities/${activity.id}/registrations/me`,
    headers: third.headers,
  })
  t.equal(thirdNow.json().waitlistPosition, 1)

  h.clock.set('2026-12-08T00:30:00Z') // 90 minutes before the start
  const late = await h.app.inject({
    method: 'DELETE',
    url: `/v1/activities/${activity.id}/registrations/me`,
    headers: second.headers,
  })
  t.equal(late.statusCode, 409)
  t.equal(late.json().code, 'cancellation_closed')
})

t.test(
  'one sign-up per person; a repeated Idempotency-Key answers the first; sign-ups close at the deadline',
  async (t) => {
    const h = await testApp(t)
    const host = await hostOrganization(h)
    const activity = await publishedActivity(h, host)
    const resident = await person()
    const key = { 'idempotency-key': 'k-1' }
    const first = await signUp(h, activity.id, resident, 'attendee', key)
    t.equal(first.statusCode, 201)
    const replay = await signUp(h, activity.id, resident, 'attendee', key)
    t.equal(replay.statusCode, 200)
    t.equal(replay.json().id, first.json().id)
    const otherRole = await signUp(h, activity.id, resident, 'volunteer', key)
    t.equal(otherRole.json().code, 'idempotency_key_reused')
    const twice = await signUp(h, activity.id, resident, 'volunteer')
    t.equal(twice.statusCode, 409)
    t.equal(twice.json().code, 'already_signed_up')

    h.clock.set('2026-12-07T12:00:01Z')
    const closed = await signUp(h, activity.id, await person())
    t.equal(closed.statusCode, 409)
    t.equal(closed.json().code, 'sign_up_closed')
  },
)

t.test(
  'the host checks people in by code; late arrivals and no-shows are recorded; volunteers’ hours are announced',
  async (t) => {
    const h = await testApp(t)
    const host = await hostOrganization(h)
    const activity = await publishedActivity(h, host)
    const [resident, absent, volunteer] = await Promise.all([person(), person(), person()])
    const residentCode = (await signUp(h, activity.id, resident)).json().code
    await signUp(h, activity.id, absent)
    const volunteerCode = (await signUp(h, activity.id, volunteer, 'volunteer')).json().code
    const checkIn = (code: string, who = host.admin) =>
      h.app.inject({
        method: 'POST',
        url: `/v1/activities/${activity.id}/check-ins`,
        headers: who.headers,
        payload: { code },
      })
    h.clock.set('2026-12-08T00:00:00Z')
    t.equal((await checkIn(residentCode)).json().code, 'invalid_transition', 'the check-in opens an hour before')
    h.clock.set('2026-12-08T01:50:00Z')
    const onTime = await checkIn(residentCode)
    t.equal(onTime.statusCode, 200, onTime.body)
    t.equal(onTime.json().late, false)
    t.equal((await checkIn(residentCode, resident)).statusCode, 404, 'only the host checks in')
    const wrong = await checkIn(residentCode === '000000' ? '000001' : '000000')
    t.equal(wrong.json().code, 'check_in_code_unknown')
    h.clock.set('2026-12-08T02:30:00Z')
    const late = await checkIn(volunteerCode)
    t.equal(late.json().late, true)

    h.clock.set('2026-12-08T04:00:00Z')
    await h.app.community.runDueJobs()
    const list = await h.app.inject({
      method: 'GET',
      url: `/v1/activities/${activity.id}/registrations`,
      headers: host.admin.headers,
    })
    const byUser = new Map(list.json().items.map((r: { userId: string }) => [r.userId, r]))
    t.match(byUser.get(absent.userId), { noShow: true })
    t.match(byUser.get(resident.userId), { noShow: false })
    const feed = await h.app.inject({
      method: 'GET',
      url: '/v1/events?limit=100',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}` },
    })
    const served = feed.json().events.filter((e: { type: string }) => e.type === 'activity.volunteer-served')
    t.equal(served.length, 1)
    t.match(served[0].payload, { userId: volunteer.userId, organizationId: host.id, minutes: 90 })

    const csv = await h.app.inject({
      method: 'GET',
      url: `/v1/activities/${activity.id}/registrations?format=csv`,
      headers: host.admin.headers,
    })
    t.match(csv.headers['content-type'], /text\/csv/)
    t.equal(csv.body.trim().split('\r\n').length, 4)
  },
)

t.test('my activities lists the caller’s live sign-ups with their activities, nobody else’s', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const activity = await publishedActivity(h, host, { capacity: 1 })
  const [first, second, stranger] = await Promise.all([person(), person(), person()])
  await signUp(h, activity.id, first)
  await signUp(h, activity.id, second)
  const mine = await h.app.inject({ method: 'GET', url: '/v1/activities/mine', headers: second.headers })
  t.equal(mine.statusCode, 200)
  t.equal(mine.json().items.length, 1)
  t.match(mine.json().items[0], {
    activity: { id: activity.id, attendees: 1, waitlisted: 1 },
    registration: { userId: second.userId, status: 'waitlisted', waitlistPosition: 1 },
  })
  const none = await h.app.inject({ method: 'GET', url: '/v1/activities/mine', headers: stranger.headers })
  t.same(none.json().items, [])
  await h.app.inject({
    method: 'DELETE',
    url: `/v1/activities/${activity.id}/registrations/me`,
    headers: first.headers,
  })
  const after = await h.app.inject({ method: 'GET', url: '/v1/activities/mine', headers: first.headers })
  t.same(after.json().items, [], 'a withdrawn sign-up leaves the list')
  const anonymous = await h.app.inject({ method: 'GET', url: '/v1/activities/mine' })
  t.equal(anonymous.statusCode, 401)
})
