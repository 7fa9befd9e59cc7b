import t from 'tap'
import { evaluate, heldActivity, hostOrganization } from './fixtures.ts'
import { person, testApp } from './helpers.ts'

t.test('an attendee who was there learns who served and rates a volunteer', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const { activity, attendees, volunteers } = await heldActivity(h, host, { attendees: 1, volunteers: 1 })
  const [attendee, volunteer] = [attendees[0], volunteers[0]] as [(typeof attendees)[0], (typeof volunteers)[0]]
  const mine = (who: typeof attendee) =>
    h.app.inject({ method: 'GET', url: `/v1/activities/${activity.id}/registrations/me`, headers: who.headers })
  t.match((await mine(attendee)).json().volunteersServed, [{ userId: volunteer.userId, displayName: '居民' }])
  t.same((await mine(volunteer)).json().volunteersServed, [], 'volunteers rate the host, not each other')
  const rated = await evaluate(h, attendee, {
    activityId: activity.id,
    direction: 'attendee_to_volunteer',
    subjectUserId: volunteer.userId,
    score: 5,
    dimensions: { helpfulness: 5 },
  })
  t.equal(rated.statusCode, 201, rated.body)
})

t.test('moderators see open reports of evaluations, dismiss or hide with a reason; both audited', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const moderator = await person({ moderator: true })
  const reporter = await person()
  const { activity, attendees } = await heldActivity(h, host, { attendees: 2, volunteers: 0 })
  for (const [i, a] of attendees.entries()) {
    const res = await evaluate(h, a, {
      activityId: activity.id,
      direction: 'attendee_to_host',
      score: i + 1,
      comment: i === 0 ? '组织混乱，工作人员态度恶劣' : '还不错',
    })
    t.equal(res.statusCode, 201, res.body)
  }
  const published = (await h.app.inject({ method: 'GET', url: `/v1/evaluations?activityId=${activity.id}` })).json()
    .items as Array<{ id: string; comment: string }>
  const [harsh, mild] = [
    published.find((e) => e.comment.startsWith('组织混乱')),
    published.find((e) => e.comment === '还不错'),
  ] as [{ id: string }, { id: string }]
  for (const id of [harsh.id, mild.id]) {
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/evaluations/${id}/reports`,
      headers: reporter.headers,
      payload: { reason: id === harsh.id ? '人身攻击' : '刷好评' },
    })
    t.equal(res.statusCode, 204)
  }
  const queue = async () => h.app.inject({ method: 'GET', url: '/v1/evaluations/reports', headers: moderator.headers })
  const open = (await queue()).json().items
  t.match(open, [
    {
      reason: '人身攻击',
      evaluation: { id: harsh.id, comment: '组织混乱，工作人员态度恶劣' },
      activityTitle: activity.title,
    },
    { reason: '刷好评', evaluation: { id: mild.id }, organizationName: '阳光社区居委会' },
  ])
  t.equal(
    (await h.app.inject({ method: 'GET', url: '/v1/evaluations/reports', headers: host.admin.headers })).statusCode,
    403,
  )

  const dismiss = (id: string) =>
    h.app.inject({
      method: 'POST',
      url: `/v1/evaluations/reports/${id}/dismiss`,
      headers: moderator.headers,
      payload: { reason: '评价属实，不违规' },
    })
  const mildReport = open.find((r: { evaluation: { id: string } }) => r.evaluation.id === mild.id)
  t.equal((await dismiss(mildReport.id)).statusCode, 204)
  t.equal((await dismiss(mildReport.id)).statusCode, 404, 'a report is decided once')
  const hidden = await h.app.inject({
    method: 'POST',
    url: `/v1/evaluations/${harsh.id}/hide`,
    headers: moderator.headers,
    payload: { reason: '人身攻击，违反社区规范' },
  })
  t.equal(hidden.statusCode, 200)
  t.same((await queue()).json().items, [], 'hiding answers the reports of the evaluation')
  const audit = await h.app.community.deps.db
    .selectFrom('evaluationAudit')
    .select(['evaluationId', 'action', 'reason', 'actorUserId'])
    .orderBy('id')
    .execute()
  t.same(audit, [
    { evaluationId: mild.id, action: 'dismiss_report', reason: '评价属实，不违规', actorUserId: moderator.userId },
    { evaluationId: harsh.id, action: 'hide', reason: '人身攻击，违反社区规范', actorUserId: moderator.userId },
  ])
})
