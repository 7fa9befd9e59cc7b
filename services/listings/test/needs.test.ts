import t from 'tap'
import { counts, eventsOf, testDb } from './fixtures.ts'
import { bearer, joinOrganization, orgOwner, signUp, testApp } from './helpers.ts'

const needBody = (organizationId: string, overrides: Record<string, unknown> = {}) => ({
  organizationId,
  kind: 'venue',
  title: '寻找可容纳 50 人的活动室',
  description: '社区老年大学结业典礼',
  city: '上海',
  district: '徐汇区',
  window: { start: '2026-12-05T09:00:00+08:00', end: '2026-12-05T12:00:00+08:00' },
  attendees: 50,
  ...overrides,
})

t.test('the needs board', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app, { kind: 'residents_committee', name: '徐汇区某居委会' })
  const other = await orgOwner(app, { name: '别的组织' })
  const member = await signUp(app)
  await joinOrganization(app, owner.token, owner.organization.id, member)
  const create = (token: string | undefined, payload: object) =>
    app.inject({ method: 'POST', url: '/v1/needs', headers: token ? bearer(token) : {}, payload })

  t.test('any member posts a need for their organization; need.opened carries the snapshot', async (t) => {
    const res = await create(member.accessToken, needBody(owner.organization.id))
    t.equal(res.statusCode, 201)
    const need = res.json()
    t.match(need, { organizationId: owner.organization.id, status: 'open', version: 1, attendees: 50, tags: [] })
    t.equal(res.headers.etag, '"1"')
    const events = await eventsOf(db, need.id)
    t.same(
      events.map((e) => [e.type, e.version]),
      [['need.opened', 1]],
    )
    t.match(events[0]!.payload, { need: { id: need.id, title: '寻找可容纳 50 人的活动室' } })
    const unknown = await app.inject({ method: 'GET', url: '/v1/needs/0190f5a4-0000-7000-8000-000000000000' })
    t.equal(unknown.statusCode, 404)
    t.equal(unknown.json().code, 'need_not_found')
    const read = await app.inject({ method: 'GET', url: `/v1/needs/${need.id}` })
    t.equal(read.statusCode, 200)
    t.equal(read.headers.etag, '"1"')
  })

  t.test('refusals write nothing: 401, 403 for another organization, 404, 400', async (t) => {
    const before = await counts(db)
    t.equal((await create(undefined, needBody(owner.organization.id))).statusCode, 401)
    const denied = await create(other.token, needBody(owner.organization.id))
    t.equal(denied.statusCode, 403)
    t.equal(denied.json().code, 'forbidden')
    const missing = await create(owner.token, needBody('0190f5a4-0000-7000-8000-000000000000'))
    t.equal(missing.statusCode, 404)
    const backwards = await create(
      owner.token,
      needBody(owner.organization.id, {
        window: { start: '2026-12-05T12:00:00+08:00', end: '2026-12-05T09:00:00+08:00' },
      }),
    )
    t.equal(backwards.statusCode, 400)
    t.match(backwards.json().errors, [{ path: 'body.window.end' }])
    const extra = await create(owner.token, needBody(owner.organization.id, { status: 'closed' }))
    t.equal(extra.statusCode, 400)
    t.match(extra.json().errors, [{ path: 'body.status' }])
    t.same(await counts(db), before)
  })

  t.test('updates need If-Match, merge, and send a fresh snapshot', async (t) => {
    const need = (await create(owner.token, needBody(owner.organization.id))).json()
    const url = `/v1/needs/${need.id}`
    const patch = (headers: Record<string, string>, payload: object) =>
      app.inject({ method: 'PATCH', url, headers, payload })
    t.equal((await patch(bearer(owner.token), { attendees: 80 })).statusCode, 428)
    t.equal((await patch({ ...bearer(owner.token), 'if-match': '"3"' }, { attendees: 80 })).statusCode, 412)
    t.equal((await patch({ 'if-match': '"1"' }, { attendees: 80 })).statusCode, 401)
    t.equal((await patch({ ...bearer(other.token), 'if-match': '"1"' }, { attendees: 80 })).statusCode, 403)
    const invalid = await patch({ ...bearer(owner.token), 'if-match': '"1"' }, { title: null })
    t.equal(invalid.statusCode, 400)
    t.match(invalid.json().errors, [{ path: 'body.title' }])
    const bad = await patch({ ...bearer(owner.token), 'if-match': '"1"' }, { organizationId: other.organization.id })
    t.equal(bad.statusCode, 400)
    const res = await patch({ ...bearer(member.accessToken), 'if-match': '"1"' }, { attendees: 80, budget: null })
    t.equal(res.statusCode, 200)
    t.equal(res.json().attendees, 80)
    t.equal(res.json().title, need.title)
    t.equal(res.json().version, 2)
    t.same(
      (await eventsOf(db, need.id)).map((e) => [e.type, e.version]),
      [
        ['need.opened', 1],
        ['need.opened', 2],
      ],
    )
  })

  t.test('closing: members only, once; then it leaves the board and cannot change', async (t) => {
    const need = (await create(owner.token, needBody(owner.organization.id, { title: '要关闭的需求' }))).json()
    const close = (token?: string) =>
      app.inject({ method: 'POST', url: `/v1/needs/${need.id}/close`, headers: token ? bearer(token) : {} })
    t.equal((await close()).statusCode, 401)
    t.equal((await close(other.token)).statusCode, 403)
    const res = await close(member.accessToken)
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'closed')
    const again = await close(owner.token)
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'invalid_transition')
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/needs/${need.id}`,
      headers: { ...bearer(owner.token), 'if-match': '"2"' },
      payload: { attendees: 3 },
    })
    t.equal(patched.statusCode, 409)
    t.same(
      (await eventsOf(db, need.id)).map((e) => [e.type, e.version]),
      [
        ['need.opened', 1],
        ['need.closed', 2],
      ],
    )
    const board = await app.inject({ method: 'GET', url: '/v1/needs?limit=100' })
    t.notOk(board.json().items.some((n: { id: string }) => n.id === need.id))
    t.equal((await app.inject({ method: 'GET', url: `/v1/needs/${need.id}` })).json().status, 'closed')
  })

  t.test('the board filters by kind, city, district and organization, and pages', async (t) => {
    await create(other.token, needBody(other.organization.id, { kind: 'expertise', city: '深圳', district: '南山区' }))
    const get = (query: string) => app.inject({ method: 'GET', url: `/v1/needs${query}` }).then((r) => r.json())
    t.equal((await get('?city=深圳')).items.length, 1)
    t.equal((await get(`?city=${encodeURIComponent('深圳')}&district=${encodeURIComponent('南山区')}`)).items.length, 1)
    t.equal((await get('?kind=expertise')).items.length, 1)
    t.equal((await get(`?organizationId=${other.organization.id}`)).items.length, 1)
    const all = await get('?limit=100')
    t.ok(all.items.every((n: { status: string }) => n.status === 'open'))
    const first = await get('?limit=1')
    const second = await get(`?limit=1&cursor=${first.nextCursor}`)
    t.equal(second.items.length, 1)
    t.not(second.items[0].id, first.items[0].id)
  })
})

t.test('posting a need twice with one Idempotency-Key puts it on the board once', async (t) => {
  const { app } = await testApp(t)
  const owner = await orgOwner(app, { kind: 'residents_committee', name: '日晖新村居委会' })
  const post = (key: string, payload: object) =>
    app.inject({
      method: 'POST',
      url: '/v1/needs',
      headers: { ...bearer(owner.token), 'idempotency-key': key },
      payload,
    })
  const body = needBody(owner.organization.id)
  const [a, b, c] = await Promise.all([post('k1', body), post('k1', body), post('k1', body)])
  t.same([a!.statusCode, b!.statusCode, c!.statusCode], [201, 201, 201])
  t.equal(new Set([a!.json().id, b!.json().id, c!.json().id]).size, 1, 'one need for three taps')
  const board = await app.inject({ method: 'GET', url: `/v1/needs?organizationId=${owner.organization.id}` })
  t.equal(board.json().items.length, 1)
  t.equal(board.json().items[0].organizationName, '日晖新村居委会', 'the board shows who posted')
  const reused = await post('k1', { ...body, title: '另一个需求标题' })
  t.equal(reused.statusCode, 422)
  t.equal(reused.json().code, 'idempotency_key_reused')
})

t.test('a group lists its own needs, closed ones too, with status=all', async (t) => {
  const { app } = await testApp(t)
  const owner = await orgOwner(app)
  const create = (title: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/needs',
      headers: bearer(owner.token),
      payload: needBody(owner.organization.id, { title }),
    })
  const open = (await create('仍在征集的需求')).json()
  const closed = (await create('已经解决的需求')).json()
  await app.inject({ method: 'POST', url: `/v1/needs/${closed.id}/close`, headers: bearer(owner.token) })
  const board = await app.inject({ method: 'GET', url: `/v1/needs?organizationId=${owner.organization.id}` })
  t.same(
    board.json().items.map((n: { id: string }) => n.id),
    [open.id],
  )
  const mine = await app.inject({ method: 'GET', url: `/v1/needs?organizationId=${owner.organization.id}&status=all` })
  t.same(
    mine.json().items.map((n: { id: string; status: string }) => [n.id, n.status]),
    [
      [closed.id, 'closed'],
      [open.id, 'open'],
    ],
  )
})
