import { sql } from 'kysely'
import t from 'tap'
import { bayesian, inTopDecile, nextFlag } from '../src/evaluations/scorecard.ts'
import { evaluate, heldActivity, hostOrganization, publishedActivity } from './fixtures.ts'
import { person, testApp } from './helpers.ts'

t.test('the scorecard rules', async (t) => {
  t.equal(bayesian(0, 0, 4), 4, 'no evaluations: the prior')
  t.equal(bayesian(25, 5, 4), 4.5, 'five 5s pull half way from the prior')
  t.ok(inTopDecile({ average: 4.9, count: 5 }, [3, 3.5, 4, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.9]))
  t.notOk(inTopDecile({ average: 4.6, count: 5 }, [3, 3.5, 4, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.9]))
  t.notOk(inTopDecile({ average: 5, count: 4 }, [5]), 'too few evaluations')
  t.equal(nextFlag(false, 2.9, 10), true, 'under 3.0 over 10: flagged')
  t.equal(nextFlag(false, 2.9, 9), false, 'too few to judge')
  t.equal(nextFlag(false, 3, 20), false, '3.0 is not under 3.0')
  t.equal(nextFlag(true, 2.99, 3), true, 'stays until the average recovers')
  t.equal(nextFlag(true, null, 0), true, 'no recent evaluations do not lift it')
  t.equal(nextFlag(true, 3, 2), false, 'lifted once the rolling average is back at 3.0')
})

t.test('three directions, hidden until everyone spoke, then published at once and immutable', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const { activity, attendees, volunteers } = await heldActivity(h, host, { attendees: 1, volunteers: 1 })
  const [resident] = attendees as [Awaited<ReturnType<typeof person>>]
  const [volunteer] = volunteers as [Awaited<ReturnType<typeof person>>]

  const fromResident = await evaluate(h, resident, {
    activityId: activity.id,
    direction: 'attendee_to_host',
    score: 5,
    dimensions: { content: 5, venue: 4 },
    comment: '讲得很实用',
  })
  t.equal(fromResident.statusCode, 201, fromResident.body)
  t.equal(fromResident.json().published, false)
  const twice = await evaluate(h, resident, { activityId: activity.id, direction: 'attendee_to_host', score: 1 })
  t.equal(twice.json().code, 'already_evaluated')
  const stranger = await person()
  const outsider = await evaluate(h, stranger, { activityId: activity.id, direction: 'attendee_to_host', score: 1 })
  t.equal(outsider.statusCode, 403)
  t.equal(outsider.json().code, 'not_a_participant')
  const badDimension = await evaluate(h, resident, {
    activityId: activity.id,
    direction: 'attendee_to_volunteer',
    subjectUserId: volunteer.userId,
    score: 5,
    dimensions: { safety: 5 },
  })
  t.equal(badDimension.statusCode, 400)
  t.same((await h.app.inject({ method: 'GET', url: `/v1/evaluations?activityId=${activity.id}` })).json().items, [])

  t.equal(
    (
      await evaluate(h, volunteer, {
        activityId: activity.id,
        direction: 'volunteer_to_host',
        score: 4,
        dimensions: { safety: 5, support: 4 },
      })
    ).statusCode,
    201,
  )
  const last = await evaluate(h, host.admin, {
    activityId: activity.id,
    direction: 'host_to_volunteer',
    subjectUserId: volunteer.userId,
    score: 5,
    comment: '准时又细心',
  })
  t.equal(last.statusCode, 201, last.body)
  t.equal(last.json().published, true, 'the last party to speak publishes everything')
  const listed = (await h.app.inject({ method: 'GET', url: `/v1/evaluations?activityId=${activity.id}` })).json()
  t.equal(listed.items.length, 3)
  t.notOk(JSON.stringify(listed).includes(resident.userId), 'authors are never shown')

  const { db } = h.app.community.deps
  await t.rejects(
    sql`update evaluations set score = 1 where activity_id = ${activity.id}`.execute(db),
    /published evaluation does not change/,
  )
  await t.rejects(sql`delete from evaluations`.execute(db), /never deleted/)

  const hostEval = listed.items.find((e: { direction: string }) => e.direction === 'attendee_to_host')
  const reply = (who = host.admin) =>
    h.app.inject({
      method: 'POST',
      url: `/v1/evaluations/${hostEval.id}/reply`,
      headers: who.headers,
      payload: { reply: '感谢参与，下次再来！' },
    })
  t.equal((await reply(resident)).json().code, 'not_rated_side')
  t.equal((await reply()).statusCode, 200)
  t.equal((await reply()).json().code, 'already_replied')

  const card = (
    await h.app.inject({ method: 'GET', url: `/v1/evaluations/scorecards/members/${volunteer.userId}` })
  ).json()
  t.match(card.lines, [{ direction: 'host_to_volunteer', count: 1, mean: 5 }])
  t.equal(card.recentComments[0].comment, '准时又细心')
})

t.test(
  'the window closes after 14 days and publishes what was said; evaluations open only after the end',
  async (t) => {
    const h = await testApp(t)
    const host = await hostOrganization(h)
    const early = await publishedActivity(h, host)
    const tooSoon = await evaluate(h, host.admin, { activityId: early.id, direction: 'attendee_to_host', score: 5 })
    t.equal(tooSoon.json().code, 'activity_not_over')

    const { activity, attendees } = await heldActivity(h, host, { attendees: 2, volunteers: 0, day: '2026-12-10' })
    await evaluate(h, attendees[0] as never, { activityId: activity.id, direction: 'attendee_to_host', score: 4 })
    h.clock.set('2026-12-24T03:59:00Z')
    await h.app.community.runDueJobs()
    t.same((await h.app.inject({ method: 'GET', url: `/v1/evaluations?activityId=${activity.id}` })).json().items, [])
    h.clock.set('2026-12-24T04:00:01Z')
    await h.app.community.runDueJobs()
    t.equal(
      (await h.app.inject({ method: 'GET', url: `/v1/evaluations?activityId=${activity.id}` })).json().items.length,
      1,
    )
    const late = await evaluate(h, attendees[1] as never, {
      activityId: activity.id,
      direction: 'attendee_to_host',
      score: 4,
    })
    t.equal(late.json().code, 'evaluation_window_closed')
  },
)

t.test(
  '整改中: raised under 3.0 over 10 evaluations, on the watchlist, lifted when the average recovers; audited',
  async (t) => {
    const h = await testApp(t)
    const host = await hostOrganization(h)
    const moderator = await person({ moderator: true })
    const rate = async (day: string, score: number, n: number) => {
      const { attendees } = await heldActivity(h, host, { attendees: n, volunteers: 0, day })
      for (const a of attendees) {
        const res = await evaluate(h, a, {
          activityId: (await lastActivity()).id,
          direction: 'attendee_to_host',
          score,
        })
        if (res.statusCode !== 201) throw new Error(res.body)
      }
    }
    const lastActivity = async () =>
      h.app.community.deps.db
        .selectFrom('activities')
        .select('id')
        .orderBy('createdAt', 'desc')
        .executeTakeFirstOrThrow()
    const scorecard = async () =>
      (await h.app.inject({ method: 'GET', url: `/v1/evaluations/scorecards/organizations/${host.id}` })).json()

    await rate('2026-12-08', 2, 9)
    t.equal((await scorecard()).rectifying, false, 'nine are too few to judge')
    await rate('2026-12-09', 2, 1)
    t.equal((await scorecard()).rectifying, true, 'ten under 3.0: 整改中')
    t.equal((await scorecard()).badge, false)
    const list = await h.app.inject({ method: 'GET', url: '/v1/evaluations/watchlist', headers: moderator.headers })
    t.match(list.json().items, [{ organizationId: host.id, count90d: 10, average90d: 2 }])
    t.equal(
      (await h.app.inject({ method: 'GET', url: '/v1/evaluations/watchlist', headers: host.admin.headers })).statusCode,
      403,
    )

    await rate('2026-12-10', 5, 4)
    t.equal((await scorecard()).rectifying, true, '(10×2 + 4×5) / 14 = 2.86: still under 3.0')
    await rate('2026-12-11', 5, 1)
    t.equal((await scorecard()).rectifying, false, '(10×2 + 5×5) / 15 = 3.0: recovered, lifted')
    const audit = await h.app.community.deps.db.selectFrom('flagAudit').select(['rectifying']).orderBy('id').execute()
    t.same(
      audit.map((a) => a.rectifying),
      [true, false],
      'raised, then lifted: both audited',
    )
    const events = await h.app.community.deps.db
      .selectFrom('events')
      .select(['payload'])
      .where('type', '=', 'scorecard.updated')
      .where('entityId', '=', host.id)
      .orderBy('id')
      .execute()
    t.ok(
      events.some((e) => (e.payload as { rectifying: boolean }).rectifying),
      'the flag change is announced',
    )
  },
)

t.test('a moderator hides an evaluation with a reason, audited; it stops counting', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const moderator = await person({ moderator: true })
  const { activity, attendees } = await heldActivity(h, host, { attendees: 1, volunteers: 0 })
  await evaluate(h, attendees[0] as never, {
    activityId: activity.id,
    direction: 'attendee_to_host',
    score: 1,
    comment: '含有人身攻击的内容',
  })
  const [evaluation] = (await h.app.inject({ method: 'GET', url: `/v1/evaluations?activityId=${activity.id}` })).json()
    .items
  const report = await h.app.inject({
    method: 'POST',
    url: `/v1/evaluations/${evaluation.id}/reports`,
    headers: host.admin.headers,
    payload: { reason: '人身攻击' },
  })
  t.equal(report.statusCode, 204)
  const byHost = await h.app.inject({
    method: 'POST',
    url: `/v1/evaluations/${evaluation.id}/hide`,
    headers: host.admin.headers,
    payload: { reason: '不喜欢' },
  })
  t.equal(byHost.statusCode, 403)
  const hidden = await h.app.inject({
    method: 'POST',
    url: `/v1/evaluations/${evaluation.id}/hide`,
    headers: moderator.headers,
    payload: { reason: '人身攻击，违反社区规范' },
  })
  t.equal(hidden.statusCode, 200)
  t.match(hidden.json(), { hidden: true, comment: null })
  const audit = await h.app.community.deps.db.selectFrom('evaluationAudit').selectAll().execute()
  t.match(audit, [{ evaluationId: evaluation.id, action: 'hide', actorUserId: moderator.userId }])
  const card = (
    await h.app.inject({ method: 'GET', url: `/v1/evaluations/scorecards/organizations/${host.id}` })
  ).json()
  t.equal(card.lines[0].count, 0, 'a hidden evaluation does not count')
})

t.test('a moderator who belongs to the host, or wrote the evaluation, may not hide it', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const { activity, attendees } = await heldActivity(h, host, { attendees: 1, volunteers: 0 })
  const author = attendees[0]!
  await evaluate(h, author, { activityId: activity.id, direction: 'attendee_to_host', score: 2 })
  const [evaluation] = (await h.app.inject({ method: 'GET', url: `/v1/evaluations?activityId=${activity.id}` })).json()
    .items
  const insider = await person({ moderator: true, roles: { [host.id]: 'member' } })
  const asAuthor = await person({ moderator: true, userId: author.userId })
  for (const who of [insider, asAuthor]) {
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/evaluations/${evaluation.id}/hide`,
      headers: who.headers,
      payload: { reason: '不喜欢' },
    })
    t.equal(res.statusCode, 403, res.body)
    t.equal(res.json().code, 'own_organization')
  }
  const audit = await h.app.community.deps.db.selectFrom('evaluationAudit').selectAll().execute()
  t.same(audit, [], 'nothing was hidden or audited')
})
