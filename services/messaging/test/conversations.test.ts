import { randomUUID } from 'node:crypto'
import { LISTINGS_EVENTS } from '@commons/contracts'
import { sql } from 'kysely'
import t from 'tap'
import { bookingScene, type Harness, type Person, person, testApp } from './helpers.ts'

const open = (h: Harness, who: Person, subject: { type: 'booking' | 'need'; id: string }, organizationId: string) =>
  h.app.inject({ method: 'POST', url: '/v1/conversations', headers: who.headers, payload: { subject, organizationId } })

const post = (h: Harness, who: Person, id: string, text: string, key?: string) =>
  h.app.inject({
    method: 'POST',
    url: `/v1/conversations/${id}/messages`,
    headers: { ...who.headers, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { text },
  })

t.test('the parties of a booking share one conversation; opening it again returns it', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const subject = { type: 'booking' as const, id: s.booking.id }
  const first = await open(h, s.booker, subject, s.requesterOrg)
  t.equal(first.statusCode, 201)
  const again = await open(h, s.providerAdmin, subject, s.providerOrg)
  t.equal(again.statusCode, 200)
  t.equal(again.json().id, first.json().id)
  t.equal(first.json().title, '二楼多功能厅')
  t.equal(first.json().providerOrganization.name, '浦东党群服务中心')
  // Tokens carry no roles here: parties come from the members replica.
  const [a, b] = await Promise.all([
    open(h, s.booker, subject, s.requesterOrg),
    open(h, s.booker, subject, s.requesterOrg),
  ])
  t.same([a.json().id, b.json().id], [first.json().id, first.json().id])
})

t.test('anyone but the parties gets 404 on every conversation and message route', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const id = (await open(h, s.booker, { type: 'booking', id: s.booking.id }, s.requesterOrg)).json().id
  t.equal((await post(h, s.booker, id, '你好，请问可以提前半小时进场吗？')).statusCode, 201)
  const moderator = await person('管理员', { moderator: true })
  // A plain member of the provider and a colleague of the booker are not parties of a booking either.
  for (const who of [s.outsider, s.providerMember, s.colleague, moderator]) {
    const routes = [
      { method: 'GET' as const, url: `/v1/conversations/${id}` },
      { method: 'GET' as const, url: `/v1/conversations/${id}/messages` },
      { method: 'POST' as const, url: `/v1/conversations/${id}/messages`, payload: { text: '插一句' } },
      { method: 'POST' as const, url: `/v1/conversations/${id}/read` },
      { method: 'POST' as const, url: `/v1/conversations/${id}/report`, payload: { reason: '骚扰' } },
    ]
    for (const route of routes) {
      const res = await h.app.inject({ ...route, headers: who.headers })
      t.equal(res.statusCode, 404, `${who.name}: ${route.method} ${route.url}`)
      t.equal(res.json().code, 'conversation_not_found')
    }
    const opened = await open(h, who, { type: 'booking', id: s.booking.id }, s.requesterOrg)
    t.equal(opened.statusCode, 404, `${who.name} cannot open it`)
    const mine = await h.app.inject({ method: 'GET', url: '/v1/conversations', headers: who.headers })
    t.same(mine.json().items, [], `${who.name} lists none`)
  }
  const unknown = await h.app.inject({
    method: 'GET',
    url: `/v1/conversations/${randomUUID()}/messages`,
    headers: s.booker.headers,
  })
  t.equal(unknown.statusCode, 404)
  const anonymous = await h.app.inject({ method: 'GET', url: `/v1/conversations/${id}/messages` })
  t.equal(anonymous.statusCode, 401)
})

t.test('a member who leaves the organization loses the conversation at once', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const id = (await open(h, s.providerAdmin, { type: 'booking', id: s.booking.id }, s.providerOrg)).json().id
  t.equal(
    (await h.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: s.booker.headers })).statusCode,
    200,
  )
  await h.listings({
    type: LISTINGS_EVENTS.organizationMembers,
    entityId: s.requesterOrg,
    version: 2,
    payload: {
      organizationId: s.requesterOrg,
      members: [{ userId: s.colleague.userId, displayName: s.colleague.name, role: 'admin' }],
    },
  })
  t.equal(
    (await h.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: s.booker.headers })).statusCode,
    404,
  )
})

t.test('messages: idempotent sends, unread counts, reading, newest activity first', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const id = (await open(h, s.booker, { type: 'booking', id: s.booking.id }, s.requesterOrg)).json().id
  const sent = await post(h, s.booker, id, '  我们大约 30 人，需要投影。 ', 'key-1')
  t.equal(sent.statusCode, 201)
  t.equal(sent.json().text, '我们大约 30 人，需要投影。')
  t.equal(sent.json().author.displayName, '王小明')
  t.equal(sent.json().author.organizationId, s.requesterOrg)
  const retry = await post(h, s.booker, id, '我们大约 30 人，需要投影。', 'key-1')
  t.equal(retry.statusCode, 200)
  t.equal(retry.json().id, sent.json().id)
  const reused = await post(h, s.booker, id, '另一句话', 'key-1')
  t.equal(reused.statusCode, 422)
  t.equal(reused.json().code, 'idempotency_key_reused')

  const list = async (who: Person) =>
    (await h.app.inject({ method: 'GET', url: '/v1/conversations', headers: who.headers })).json().items
  t.equal((await list(s.providerAdmin))[0].unread, 1)
  t.equal((await list(s.booker))[0].unread, 0, 'own messages are not unread')
  t.equal((await list(s.providerAdmin))[0].lastMessagePreview, '我们大约 30 人，需要投影。')
  h.clock.set('2026-12-01T02:05:00Z')
  const read = await h.app.inject({
    method: 'POST',
    url: `/v1/conversations/${id}/read`,
    headers: s.providerAdmin.headers,
  })
  t.equal(read.json().unread, 0)

  // A second booking's conversation with later activity comes first.
  const other = await h.booking({ ...s.booking, id: randomUUID(), version: 0 }, 'requested')
  const second = (await open(h, s.booker, { type: 'booking', id: other.id }, s.requesterOrg)).json().id
  h.clock.set('2026-12-01T02:10:00Z')
  await post(h, s.providerAdmin, second, '收到')
  t.same(
    (await list(s.booker)).map((c: { id: string }) => c.id),
    [second, id],
  )
  t.equal((await list(s.booker))[0].unread, 1)
})

t.test('message text is 1 to 2000 visible characters', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const id = (await open(h, s.booker, { type: 'booking', id: s.booking.id }, s.requesterOrg)).json().id
  t.equal((await post(h, s.booker, id, '   ')).statusCode, 400)
  t.equal((await post(h, s.booker, id, '字'.repeat(2001))).statusCode, 400)
  t.equal((await post(h, s.booker, id, '字'.repeat(2000))).statusCode, 201)
  // Emoji are one character each, though two UTF-16 units.
  t.equal((await post(h, s.booker, id, '👍'.repeat(2000))).statusCode, 201)
})

t.test('messages page by keyset, newest first, without gaps or repeats', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const id = (await open(h, s.booker, { type: 'booking', id: s.booking.id }, s.requesterOrg)).json().id
  for (let i = 0; i < 7; i++) {
    // Two messages in the same instant: the id breaks the tie.
    h.clock.set(new Date(Date.parse('2026-12-01T03:00:00Z') + Math.floor(i / 2) * 60_000))
    t.equal((await post(h, i % 2 ? s.providerAdmin : s.booker, id, `消息 ${i}`)).statusCode, 201)
  }
  const seen: string[] = []
  let before: string | null = null
  do {
    const url: string = `/v1/conversations/${id}/messages?limit=3${before ? `&before=${before}` : ''}`
    const page = (await h.app.inject({ method: 'GET', url, headers: s.providerAdmin.headers })).json()
    seen.push(...page.items.map((m: { text: string }) => m.text))
    before = page.nextCursor
  } while (before)
  // Messages of the same instant are ordered by id; the pages must match one unpaged read exactly.
  const all = (
    await h.app.inject({ method: 'GET', url: `/v1/conversations/${id}/messages?limit=100`, headers: s.booker.headers })
  ).json()
  t.same(
    seen,
    all.items.map((m: { text: string }) => m.text),
  )
  t.same([...seen].sort().reverse(), ['消息 6', '消息 5', '消息 4', '消息 3', '消息 2', '消息 1', '消息 0'])
  t.equal(seen[0], '消息 6', 'the newest first')
  const bad = await h.app.inject({
    method: 'GET',
    url: `/v1/conversations/${id}/messages?before=nonsense`,
    headers: s.booker.headers,
  })
  t.equal(bad.json().code, 'invalid_cursor')
})

t.test('a provider answers a need and the group replies', async (t) => {
  const h = await testApp(t)
  const [groupMember, providerAdmin, outsider] = await Promise.all([
    person('陈阿姨'),
    person('周老师'),
    person('路人乙'),
  ])
  const group = await h.organization('幸福里居委会', [[groupMember, 'member']])
  const provider = await h.organization('青年志愿者协会', [[providerAdmin, 'admin']])
  const needId = await h.need(group, '需要一位讲防诈骗的老师')
  const subject = { type: 'need' as const, id: needId }
  t.equal((await open(h, groupMember, subject, group)).json().code, 'own_organization')
  t.equal((await open(h, outsider, subject, provider)).statusCode, 404)
  const opened = await open(h, providerAdmin, subject, provider)
  t.equal(opened.statusCode, 201)
  t.equal(opened.json().title, '需要一位讲防诈骗的老师')
  const id = opened.json().id
  t.equal((await post(h, providerAdmin, id, '我们可以安排一次讲座。')).statusCode, 201)
  const inbox = await h.app.inject({ method: 'GET', url: '/v1/conversations', headers: groupMember.headers })
  t.equal(inbox.json().items[0].id, id)
  t.equal(inbox.json().items[0].unread, 1)
  t.equal((await post(h, groupMember, id, '太好了，下周三可以吗？')).statusCode, 201)
  t.equal((await open(h, groupMember, subject, provider)).json().id, id, 'the group finds the same conversation')
  t.equal(
    (await h.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: outsider.headers })).statusCode,
    404,
  )
})

t.test('once a party reports a conversation, moderators may read it, and each reading is audited', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const moderator = await person('审核员', { moderator: true })
  const id = (await open(h, s.booker, { type: 'booking', id: s.booking.id }, s.requesterOrg)).json().id
  await post(h, s.providerAdmin, id, '不当内容')
  const report = await h.app.inject({
    method: 'POST',
    url: `/v1/conversations/${id}/report`,
    headers: s.booker.headers,
    payload: { reason: '对方言语骚扰' },
  })
  t.equal(report.statusCode, 200)
  t.equal(report.json().reported, true)
  const twice = await h.app.inject({
    method: 'POST',
    url: `/v1/conversations/${id}/report`,
    headers: s.booker.headers,
    payload: { reason: '再次' },
  })
  t.equal(twice.json().code, 'already_reported')
  const queue = await h.app.inject({ method: 'GET', url: '/v1/conversations/reported', headers: moderator.headers })
  t.same(
    queue.json().items.map((c: { id: string }) => c.id),
    [id],
  )
  t.equal(
    (await h.app.inject({ method: 'GET', url: '/v1/conversations/reported', headers: s.booker.headers })).statusCode,
    403,
  )
  const read = await h.app.inject({
    method: 'GET',
    url: `/v1/conversations/${id}/messages`,
    headers: moderator.headers,
  })
  t.equal(read.statusCode, 200)
  t.equal(read.json().items[0].text, '不当内容')
  // Reading is not writing.
  t.equal((await post(h, moderator, id, '警告')).statusCode, 404)
  const { rows } = await sql<{
    moderatorId: string
  }>`select moderator_id as "moderatorId" from messaging.moderation_reads`.execute(h.app.messaging.deps.db)
  t.same(
    rows.map((r) => r.moderatorId),
    [moderator.userId],
  )
})

t.test('reading a conversation reads its new-message notifications, and only those', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const id = (await open(h, s.booker, { type: 'booking', id: s.booking.id }, s.requesterOrg)).json().id
  const unread = async (who: Person) =>
    (await h.app.inject({ method: 'GET', url: '/v1/notifications?unread=true', headers: who.headers })).json() as {
      items: Array<{ type: string }>
      unread: number
    }
  const before = (await unread(s.booker)).unread
  t.equal((await post(h, s.providerAdmin, id, '您好，请从东门进。')).statusCode, 201)
  t.equal((await post(h, s.providerAdmin, id, '有停车位。')).statusCode, 201)
  t.equal((await unread(s.booker)).unread, before + 2, 'one notification per message')
  const read = await h.app.inject({ method: 'POST', url: `/v1/conversations/${id}/read`, headers: s.booker.headers })
  t.equal(read.statusCode, 200)
  const after = await unread(s.booker)
  t.equal(after.unread, before, 'the bell no longer counts messages the page shows')
  t.notOk(
    after.items.some((n) => n.type === 'message_received'),
    'no message notification is left unread',
  )

  // Answering is reading too: the provider's notification of the reply it answers is read by its own reply.
  t.equal((await post(h, s.booker, id, '好的，谢谢！')).statusCode, 201)
  t.equal((await unread(s.providerAdmin)).items.filter((n) => n.type === 'message_received').length, 1)
  t.equal((await post(h, s.providerAdmin, id, '不客气。')).statusCode, 201)
  t.equal((await unread(s.providerAdmin)).items.filter((n) => n.type === 'message_received').length, 0)
})
