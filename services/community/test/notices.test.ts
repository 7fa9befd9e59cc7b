import { COMMUNITY_EVENTS, type ParticipantNoticePayload } from '@commons/contracts'
import t from 'tap'
import { nextRecheckAt } from '../src/evaluations/flags.ts'
import { evaluate, heldActivity, hostOrganization, publishedActivity, signUp } from './fixtures.ts'
import { type Harness, person, testApp } from './helpers.ts'

/** The participant notices of the feed so far: who heard what. */
async function notices(h: Harness) {
  const rows = await h.app.community.deps.db
    .selectFrom('events')
    .select('payload')
    .where('type', '=', COMMUNITY_EVENTS.participantNotice)
    .orderBy('id')
    .execute()
  return rows.map((r) => {
    const p = r.payload as ParticipantNoticePayload
    return `${p.kind}:${p.userId}`
  })
}

/** Moves the clock to `at`, runs the jobs due, and resolves the reminders sent so far. */
async function remindersAt(h: Harness, at: string) {
  h.clock.set(at)
  await h.app.community.runDueJobs()
  return (await notices(h)).filter((n) => n.startsWith('reminder'))
}

t.test('participants hear of their sign-up, promotion, the reminder and a cancellation', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const activity = await publishedActivity(h, host, { capacity: 1 })
  const first = await person()
  const second = await person()
  t.equal((await signUp(h, activity.id, first)).json().status, 'confirmed')
  t.equal((await signUp(h, activity.id, second)).json().status, 'waitlisted')
  t.same(await notices(h), [`confirmed:${first.userId}`, `waitlisted:${second.userId}`])

  const withdrawn = await h.app.inject({
    method: 'DELETE',
    url: `/v1/activities/${activity.id}/registrations/me`,
    headers: first.headers,
  })
  t.equal(withdrawn.statusCode, 204)
  t.equal((await notices(h)).at(-1), `promoted:${second.userId}`, 'the one moved up from the waitlist hears of it')

  // The reminder is a job a day before the start (2026-12-08T02:00Z): not before, once then.
  t.same(await remindersAt(h, '2026-12-07T01:59:00Z'), [], 'not early')
  t.same(
    await remindersAt(h, '2026-12-07T02:00:00Z'),
    [`reminder:${second.userId}`],
    'those with a place are reminded; the one who withdrew is not',
  )

  const cancelled = await h.app.inject({
    method: 'POST',
    url: `/v1/activities/${activity.id}/cancel`,
    headers: host.admin.headers,
    payload: { reason: '场地维修' },
  })
  t.equal(cancelled.statusCode, 200)
  t.equal((await notices(h)).at(-1), `activity_cancelled:${second.userId}`)
})

t.test('a reminder follows a moved activity, and a cancelled one reminds nobody', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const activity = await publishedActivity(h, host)
  const resident = await person()
  await signUp(h, activity.id, resident)
  const moved = await h.app.inject({
    method: 'PATCH',
    url: `/v1/activities/${activity.id}`,
    headers: { ...host.admin.headers, 'if-match': `"${activity.version}"` },
    payload: { start: '2026-12-10T02:00:00Z', end: '2026-12-10T04:00:00Z' },
  })
  t.equal(moved.statusCode, 200, moved.body)
  t.same(await remindersAt(h, '2026-12-07T02:00:00Z'), [], 'the old time reminds nobody')
  t.same(await remindersAt(h, '2026-12-09T02:00:00Z'), [`reminder:${resident.userId}`])

  const other = await publishedActivity(h, host, { start: '2026-12-20T02:00:00Z', end: '2026-12-20T04:00:00Z' })
  await signUp(h, other.id, resident)
  await h.app.inject({
    method: 'POST',
    url: `/v1/activities/${other.id}/cancel`,
    headers: host.admin.headers,
    payload: { reason: '天气原因' },
  })
  t.equal((await remindersAt(h, '2026-12-19T03:00:00Z')).length, 1)
})

t.test('everyone who was there hears that the evaluation window is open', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const { attendees, volunteers } = await heldActivity(h, host, { attendees: 2, volunteers: 1 })
  const open = (await notices(h)).filter((n) => n.startsWith('evaluation_open')).sort()
  t.same(open, [...attendees, ...volunteers].map((p) => `evaluation_open:${p.userId}`).sort())
})

t.test(
  'the daily recheck lifts 整改中 once bad evaluations age out of the 90 days; audited and announced',
  async (t) => {
    const h = await testApp(t)
    const host = await hostOrganization(h)
    const db = h.app.community.deps.db
    const rate = async (day: string, score: number, n: number) => {
      const { activity, attendees } = await heldActivity(h, host, { attendees: n, volunteers: 0, day })
      for (const a of attendees) {
        const res = await evaluate(h, a, { activityId: activity.id, direction: 'attendee_to_host', score })
        if (res.statusCode !== 201) throw new Error(res.body)
      }
    }
    const scorecard = async () =>
      (await h.app.inject({ method: 'GET', url: `/v1/evaluations/scorecards/organizations/${host.id}` })).json()
    const flagEvents = async () =>
      (
        await db
          .selectFrom('events')
          .select('payload')
          .where('type', '=', COMMUNITY_EVENTS.flagChanged)
          .where('entityId', '=', host.id)
          .orderBy('id')
          .execute()
      ).map((e) => (e.payload as { rectifying: boolean }).rectifying)

    await rate('2026-12-08', 2, 10)
    t.equal((await scorecard()).rectifying, true, 'ten 2s: 整改中')
    t.same(await flagEvents(), [true], 'raised and announced for messaging')
    await rate('2027-02-01', 4, 8)
    t.equal((await scorecard()).rectifying, true, '(10×2 + 8×4) / 18 = 2.89: still under 3.0')

    // 2027-03-08 is 90 days after the bad activity; nothing happens to the organization meanwhile.
    h.clock.set('2027-03-09T12:00:00Z')
    t.equal((await scorecard()).rectifying, true, 'time alone changes nothing until the recheck runs')
    h.clock.set(nextRecheckAt(h.clock.now()))
    await h.app.community.runDueJobs()
    t.equal((await scorecard()).rectifying, false, 'the recent average is 4.0: lifted')
    t.same(await flagEvents(), [true, false], 'the lift is announced')
    const audit = await db
      .selectFrom('flagAudit')
      .select(['rectifying', 'average90d', 'count90d'])
      .orderBy('id')
      .execute()
    t.match(audit.at(-1), { rectifying: false, average90d: 4, count90d: 8 }, 'and audited with its figures')
    const card = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', COMMUNITY_EVENTS.scorecardUpdated)
      .where('entityId', '=', host.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    t.equal((card.payload as { rectifying: boolean }).rectifying, false, 'search hears of it with the scorecard')

    // The chain goes on: tomorrow's run is queued, and a run that changes nothing announces nothing.
    const before = (await db.selectFrom('events').select('id').execute()).length
    h.clock.set(nextRecheckAt(h.clock.now()))
    t.ok((await h.app.community.runDueJobs()) >= 1, 'the next day runs again')
    t.equal((await db.selectFrom('events').select('id').execute()).length, before)
  },
)

t.test('the recheck runs at 03:00 in Shanghai', async (t) => {
  t.equal(nextRecheckAt(new Date('2026-12-01T18:00:00Z')).toISOString(), '2026-12-01T19:00:00.000Z')
  t.equal(nextRecheckAt(new Date('2026-12-01T19:00:00Z')).toISOString(), '2026-12-02T19:00:00.000Z')
})
