import { randomUUID } from 'node:crypto'
import { COMMUNITY_EVENTS, type ParticipantNoticeKind } from '@commons/contracts'
import t from 'tap'
import { type Harness, type Person, person, testApp } from './helpers.ts'

const notificationsOf = async (h: Harness, who: Person) =>
  (await h.app.inject({ method: 'GET', url: '/v1/notifications', headers: who.headers })).json()
const types = (page: { items: Array<{ type: string }> }) => page.items.map((n) => n.type)

const activity = {
  id: randomUUID(),
  title: '智能手机课堂',
  start: '2026-12-05T02:00:00.000Z',
  organizationName: '阳光社区居委会',
}

const notice = (who: Person, registrationId: string, kind: ParticipantNoticeKind, a = activity, version = 2) => ({
  type: COMMUNITY_EVENTS.participantNotice,
  entityId: registrationId,
  version,
  payload: { kind, registrationId, userId: who.userId, role: 'attendee' as const, activity: a },
})

t.test('a participant hears of each step of their sign-up, once, linking to the activity', async (t) => {
  const h = await testApp(t)
  const resident = await person('王阿姨')
  const neighbour = await person('李叔叔')
  const reg = randomUUID()
  await h.community(notice(resident, reg, 'waitlisted'))
  await h.community(notice(resident, reg, 'promoted'))
  const page = await notificationsOf(h, resident)
  t.same(types(page), ['activity_promoted', 'activity_waitlisted'])
  t.equal(page.items[0].link, `/activities/${activity.id}`)
  t.match(page.items[0].title, '智能手机课堂')
  t.match(page.items[1].body, '候补')
  t.equal((await notificationsOf(h, neighbour)).items.length, 0, 'only the person it concerns')

  await h.community(notice(resident, reg, 'promoted'))
  t.equal((await notificationsOf(h, resident)).items.length, 2, 'a replayed notice adds nothing')

  await h.community(notice(resident, reg, 'reminder'))
  await h.community(notice(resident, reg, 'reminder'))
  t.equal(types(await notificationsOf(h, resident)).filter((x) => x === 'activity_reminder').length, 1)
  const moved = { ...activity, start: '2026-12-06T02:00:00.000Z' }
  await h.community(notice(resident, reg, 'reminder', moved, 3))
  t.equal(
    types(await notificationsOf(h, resident)).filter((x) => x === 'activity_reminder').length,
    2,
    'a moved activity reminds again',
  )

  const other = randomUUID()
  await h.community(notice(neighbour, other, 'confirmed'))
  await h.community(notice(neighbour, other, 'activity_cancelled', activity, 3))
  const cancelled = await notificationsOf(h, neighbour)
  t.same(types(cancelled), ['activity_cancelled', 'activity_signed_up'])
  t.match(cancelled.items[0].body, '阳光社区居委会')

  await h.community(notice(resident, reg, 'evaluation_open', activity, 4))
  t.equal(types(await notificationsOf(h, resident))[0], 'activity_evaluation_open')
})

t.test("an organization's admins hear when it is marked 整改中 and when the mark is lifted", async (t) => {
  const h = await testApp(t)
  const owner = await person('张主任')
  const admin = await person('刘干事')
  const member = await person('普通成员')
  const orgId = await h.organization('阳光社区居委会', [
    [owner, 'owner'],
    [admin, 'admin'],
    [member, 'member'],
  ])
  const flag = (rectifying: boolean, version: number, average: number) => ({
    type: COMMUNITY_EVENTS.flagChanged,
    entityId: orgId,
    version,
    payload: {
      organizationId: orgId,
      organizationName: '阳光社区居委会',
      rectifying,
      average90d: average,
      count90d: 12,
      at: '2026-12-01T02:00:00.000Z',
    },
  })
  await h.community(flag(true, 1, 2.5))
  const raised = await notificationsOf(h, admin)
  t.same(types(raised), ['organization_flag_raised'])
  t.match(raised.items[0].body, '2.50')
  t.equal(raised.items[0].link, `/organizations/${orgId}`)
  t.same(types(await notificationsOf(h, owner)), ['organization_flag_raised'])
  t.equal((await notificationsOf(h, member)).items.length, 0, 'plain members are not told')

  await h.community(flag(true, 1, 2.5))
  t.equal((await notificationsOf(h, admin)).items.length, 1, 'a replay adds nothing')
  await h.community(flag(false, 2, 3.4))
  t.same(types(await notificationsOf(h, admin)), ['organization_flag_lifted', 'organization_flag_raised'])
})
