import t from 'tap'
import { evaluate, heldActivity, hostOrganization } from './fixtures.ts'
import { testApp } from './helpers.ts'

t.test('a badge lost to other organizations moving up is announced by the recheck job, not only on read', async (t) => {
  const h = await testApp(t)
  const first = await hostOrganization(h, '阳光社区居委会')
  const second = await hostOrganization(h, '园区职工之家')
  const rate = async (host: typeof first, day: string, score: number) => {
    const { activity, attendees } = await heldActivity(h, host, { attendees: 5, volunteers: 0, day })
    for (const a of attendees) {
      const res = await evaluate(h, a, { activityId: activity.id, direction: 'attendee_to_host', score })
      if (res.statusCode !== 201) throw new Error(res.body)
    }
  }
  const announced = async (organizationId: string) => {
    const last = await h.app.community.deps.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'scorecard.updated')
      .where('entityId', '=', organizationId)
      .orderBy('id', 'desc')
      .executeTakeFirst()
    return (last?.payload as { badge: boolean } | undefined)?.badge
  }
  const card = async (organizationId: string) =>
    (await h.app.inject({ method: 'GET', url: `/v1/evaluations/scorecards/organizations/${organizationId}` })).json()

  await rate(first, '2026-12-08', 4)
  await h.app.community.runDueJobs()
  t.equal((await card(first.id)).badge, true, 'the only organization with enough evaluations is the top decile')
  t.equal(await announced(first.id), true)

  // The second organization's evaluations say nothing about the first, yet they take its badge away.
  await rate(second, '2026-12-09', 5)
  t.equal((await card(first.id)).badge, false)
  t.equal(await announced(second.id), true)
  await h.app.community.runDueJobs()
  t.equal(await announced(first.id), false, 'search hears that the first lost its badge and its ranking lift')

  const marks = await h.app.community.deps.db.selectFrom('scorecardVersions').selectAll().orderBy('id').execute()
  const again = await h.app.community.runDueJobs()
  const after = await h.app.community.deps.db.selectFrom('scorecardVersions').selectAll().orderBy('id').execute()
  t.same(after, marks, `nothing moved, so a further run (${again} attempts) announces nothing`)
})
