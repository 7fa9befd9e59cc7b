import t from 'tap'
import { eventsOf, testDb } from './fixtures.ts'
import { bearer, orgOwner, testApp } from './helpers.ts'

t.test('organization hierarchy', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const put = (token: string, id: string, parentId: string) =>
    app.inject({ method: 'PUT', url: `/v1/organizations/${id}/parent`, headers: bearer(token), payload: { parentId } })
  const confirm = (token: string, parentId: string, childId: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/organizations/${parentId}/children/${childId}/confirm`,
      headers: bearer(token),
    })
  const hierarchy = (id: string, token?: string) =>
    app.inject({ method: 'GET', url: `/v1/organizations/${id}/hierarchy`, headers: token ? bearer(token) : {} })
  const parentEvents = async (id: string) =>
    (await eventsOf(db, id)).filter((e) => e.type === 'organization.parent_changed').map((e) => e.payload)

  const street = await orgOwner(app, { name: '某街道党工委' })
  const community = await orgOwner(app, { name: '某社区党委' })
  const branch = await orgOwner(app, { name: '某支部' })

  t.test('a child asks, the link is pending and private until the parent confirms it', async (t) => {
    const asked = await put(community.token, community.organization.id, street.organization.id)
    t.equal(asked.statusCode, 200, asked.body)
    t.equal(asked.json().status, 'pending')
    t.equal(asked.json().parentName, '某街道党工委')
    t.same(await parentEvents(community.organization.id), [], 'nothing is published while pending')
    t.equal((await hierarchy(community.organization.id)).json().parent, null, 'strangers see no pending link')
    t.same((await hierarchy(street.organization.id)).json().children, [])
    t.equal((await hierarchy(street.organization.id, street.token)).json().children[0].status, 'pending')

    const denied = await confirm(community.token, street.organization.id, community.organization.id)
    t.equal(denied.statusCode, 403, "the child cannot confirm for the parent's admin")
    const ok = await confirm(street.token, street.organization.id, community.organization.id)
    t.equal(ok.statusCode, 200, ok.body)
    t.equal(ok.json().status, 'confirmed')
    t.ok(ok.json().confirmedAt)
    const pub = (await hierarchy(community.organization.id)).json()
    t.equal(pub.parent.parentId, street.organization.id)
    t.same(
      (await hierarchy(street.organization.id))
        .json()
        .children.map((c: { organizationId: string }) => c.organizationId),
      [community.organization.id],
    )
    t.same(await parentEvents(community.organization.id), [
      { organizationId: community.organization.id, parentId: street.organization.id, version: 2 },
    ])
  })

  t.test('only admins of the child may name a parent; a confirmation needs a pending request', async (t) => {
    t.equal((await put(street.token, branch.organization.id, community.organization.id)).statusCode, 403)
    const none = await confirm(community.token, community.organization.id, branch.organization.id)
    t.equal(none.statusCode, 404)
    t.equal(none.json().code, 'parent_link_not_found')
  })

  t.test('a loop is refused, directly or through a descendant', async (t) => {
    const self = await put(street.token, street.organization.id, street.organization.id)
    t.equal(self.statusCode, 409)
    t.equal(self.json().code, 'hierarchy_cycle')
    t.equal((await put(branch.token, branch.organization.id, community.organization.id)).statusCode, 200)
    t.equal((await confirm(community.token, community.organization.id, branch.organization.id)).statusCode, 200)
    const loop = await put(street.token, street.organization.id, branch.organization.id)
    t.equal(loop.statusCode, 409)
    t.equal(loop.json().code, 'hierarchy_cycle')
  })

  t.test('two crossing requests cannot both be confirmed', async (t) => {
    const a = await orgOwner(app, { name: '甲社区' })
    const b = await orgOwner(app, { name: '乙社区' })
    t.equal((await put(a.token, a.organization.id, b.organization.id)).statusCode, 200)
    t.equal((await put(b.token, b.organization.id, a.organization.id)).statusCode, 200)
    const results = await Promise.all([
      confirm(b.token, b.organization.id, a.organization.id),
      confirm(a.token, a.organization.id, b.organization.id),
    ])
    t.same(results.map((r) => r.statusCode).sort(), [200, 409])
  })

  t.test('either side ends a link, and the feed says the parent is gone', async (t) => {
    const left = await app.inject({
      method: 'DELETE',
      url: `/v1/organizations/${street.organization.id}/children/${community.organization.id}`,
      headers: bearer(street.token),
    })
    t.equal(left.statusCode, 204)
    t.equal((await hierarchy(community.organization.id)).json().parent, null)
    const events = await parentEvents(community.organization.id)
    t.same(events.at(-1), { organizationId: community.organization.id, parentId: null, version: 3 })
    const again = await app.inject({
      method: 'DELETE',
      url: `/v1/organizations/${community.organization.id}/parent`,
      headers: bearer(community.token),
    })
    t.equal(again.statusCode, 404)
  })
})

t.test('fair-share quotas', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const parent = await orgOwner(app, { name: '某区总工会' })
  const stranger = await orgOwner(app, { name: '别的组织' })
  const url = `/v1/organizations/${parent.organization.id}/quotas`
  const body = { quotas: [{ kind: 'venue', hoursPerMonth: 8 }] }

  t.equal((await app.inject({ method: 'PUT', url, headers: bearer(stranger.token), payload: body })).statusCode, 403)
  const twice = await app.inject({
    method: 'PUT',
    url,
    headers: bearer(parent.token),
    payload: {
      quotas: [
        { kind: 'venue', hoursPerMonth: 8 },
        { kind: 'venue', hoursPerMonth: 4 },
      ],
    },
  })
  t.equal(twice.statusCode, 400, 'one quota per kind')
  const set = await app.inject({ method: 'PUT', url, headers: bearer(parent.token), payload: body })
  t.equal(set.statusCode, 200, set.body)
  t.same((await app.inject({ method: 'GET', url })).json(), body, 'quotas are public')
  const events = (await eventsOf(db, parent.organization.id)).filter((e) => e.type === 'organization.quotas_changed')
  t.same(
    events.map((e) => e.payload),
    [{ organizationId: parent.organization.id, quotas: body.quotas, version: 1 }],
  )
})
