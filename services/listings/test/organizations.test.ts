import { decodeJwt } from 'jose'
import t from 'tap'
import { counts, eventsOf, moderator, testDb } from './fixtures.ts'
import { bearer, joinOrganization, orgOwner, signUp, testApp } from './helpers.ts'

t.test('creating and updating organizations', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)

  t.test('the creator becomes owner; the fresh token carries the role; organization.updated is appended', async (t) => {
    const owner = await orgOwner(app, { name: '南山区某社工机构', kind: 'social_organization' })
    t.equal(decodeJwt(owner.token).orgs?.[owner.organization.id as never], 'owner')
    // organization.members tells messaging who speaks for the organization (issue 14).
    t.same(
      (await eventsOf(db, owner.organization.id)).map((e) => [e.type, e.version]),
      [
        ['organization.updated', 1],
        ['organization.members', 1],
      ],
    )
  })

  t.test('creation refuses anonymous (401) and bad bodies (400)', async (t) => {
    const before = await counts(db)
    const anon = await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      payload: { name: '匿名组织', kind: 'other', district: '黄浦区', city: '上海' },
    })
    t.equal(anon.statusCode, 401)
    const session = await signUp(app)
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: bearer(session.accessToken),
      payload: { name: '组织', kind: 'club', district: '黄浦区', city: '上海', verified: true },
    })
    t.equal(bad.statusCode, 400)
    t.same(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
      ['body.kind', 'body.verified'],
    )
    t.same(await counts(db), before)
  })

  t.test('updates: admins only, If-Match honoured, cross-organization 403', async (t) => {
    const owner = await orgOwner(app)
    const other = await orgOwner(app, { name: '别的组织' })
    const url = `/v1/organizations/${owner.organization.id}`
    const patch = (headers: Record<string, string>, payload: object = { description: '新的简介' }) =>
      app.inject({ method: 'PATCH', url, headers, payload })
    t.equal((await patch({})).statusCode, 401)
    const denied = await patch(bearer(other.token))
    t.equal(denied.statusCode, 403)
    t.equal(denied.json().code, 'forbidden')
    const stale = await patch({ ...bearer(owner.token), 'if-match': '"9"' })
    t.equal(stale.statusCode, 412)
    t.equal(stale.json().code, 'version_mismatch')
    const extra = await patch(bearer(owner.token), { verified: true })
    t.equal(extra.statusCode, 400, 'verified is for moderators')
    t.equal((await eventsOf(db, owner.organization.id)).length, 2, 'no event from refused updates')
    const ok = await patch({ ...bearer(owner.token), 'if-match': '"1"' })
    t.equal(ok.statusCode, 200)
    t.equal(ok.json().version, 2)
    t.equal(ok.headers.etag, '"2"')
    t.same(
      (await eventsOf(db, owner.organization.id)).map((e) => [e.type, e.version]),
      [
        ['organization.updated', 1],
        ['organization.members', 1],
        ['organization.updated', 2],
      ],
    )
    const read = await app.inject({ method: 'GET', url })
    t.equal(read.statusCode, 200, 'the profile is public')
    t.equal(read.json().description, '新的简介')
    const missing = await app.inject({ method: 'GET', url: '/v1/organizations/0190f5a4-0000-7000-8000-000000000000' })
    t.equal(missing.statusCode, 404)
  })
})

t.test('members and roles', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const owner = await orgOwner(app)
  const other = await orgOwner(app, { name: '别的组织' })
  const mod = await moderator(app, databaseUrl, t)
  const admin = await signUp(app)
  const member = await signUp(app)
  const outsider = await signUp(app)
  const base = `/v1/organizations/${owner.organization.id}/members`
  const add = (token: string | undefined, email: string, role: string) =>
    app.inject({ method: 'POST', url: base, headers: token ? bearer(token) : {}, payload: { email, role } })
  const change = (token: string | undefined, userId: string, role: string) =>
    app.inject({ method: 'PATCH', url: `${base}/${userId}`, headers: token ? bearer(token) : {}, payload: { role } })
  const remove = (token: string | undefined, userId: string) =>
    app.inject({ method: 'DELETE', url: `${base}/${userId}`, headers: token ? bearer(token) : {} })

  // Adding is an invitation the invitee accepts (issue 13); invitations.test.ts covers it in depth.
  t.test('adding members: admins invite, the invitee accepts', async (t) => {
    const joined = await joinOrganization(app, owner.token, owner.organization.id, admin, 'admin')
    t.equal(joined.invitation.role, 'admin')
    await joinOrganization(app, admin.accessToken, owner.organization.id, member)
    t.equal((await add(undefined, outsider.user.email, 'member')).statusCode, 401)
    const cross = await add(other.token, outsider.user.email, 'member')
    t.equal(cross.statusCode, 403, 'an owner of another organization')
    t.equal((await add(member.accessToken, outsider.user.email, 'member')).statusCode, 403, 'a plain member')
    t.equal((await add(admin.accessToken, outsider.user.email, 'owner')).statusCode, 403, 'admins cannot make owners')
  })

  t.test('listing members: members and moderators, not others', async (t) => {
    const list = (token?: string) => app.inject({ method: 'GET', url: base, headers: token ? bearer(token) : {} })
    t.equal((await list(member.accessToken)).json().items.length, 3)
    t.equal((await list(mod.token)).statusCode, 200)
    t.equal((await list(other.token)).statusCode, 403)
    t.equal((await list()).statusCode, 401)
  })

  t.test('changing roles', async (t) => {
    t.equal((await change(other.token, member.user.id, 'admin')).statusCode, 403, 'another organization')
    t.equal((await change(undefined, member.user.id, 'admin')).statusCode, 401)
    t.equal((await change(member.accessToken, member.user.id, 'admin')).statusCode, 403, 'members cannot promote')
    t.equal((await change(admin.accessToken, owner.user.id, 'member')).statusCode, 403, 'admins cannot demote owners')
    const last = await change(owner.token, owner.user.id, 'admin')
    t.equal(last.statusCode, 409)
    t.equal(last.json().code, 'last_owner')
    const missing = await change(owner.token, outsider.user.id, 'admin')
    t.equal(missing.statusCode, 404)
    const ok = await change(admin.accessToken, member.user.id, 'admin')
    t.equal(ok.statusCode, 200)
    t.equal(ok.json().role, 'admin')
    await change(admin.accessToken, member.user.id, 'member')
  })

  t.test('removing members and leaving', async (t) => {
    t.equal((await remove(other.token, member.user.id)).statusCode, 403, 'another organization')
    t.equal((await remove(undefined, member.user.id)).statusCode, 401)
    t.equal((await remove(member.accessToken, admin.user.id)).statusCode, 403, 'members cannot remove others')
    const lastOwner = await remove(owner.token, owner.user.id)
    t.equal(lastOwner.statusCode, 409)
    t.equal(lastOwner.json().code, 'last_owner')
    t.equal((await remove(member.accessToken, member.user.id)).statusCode, 204, 'a member may leave')
    t.equal((await remove(owner.token, member.user.id)).statusCode, 404, 'gone already')
    t.equal((await remove(owner.token, admin.user.id)).statusCode, 204, 'an owner removes an admin')
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(admin.accessToken) })
    t.same(me.json().memberships, [])
    const after = await add(admin.accessToken, outsider.user.email, 'member')
    t.equal(after.statusCode, 403, 'a removed admin is refused though the token still names the role')
  })

  t.test('with a second owner, the first may leave', async (t) => {
    const second = await signUp(app)
    await joinOrganization(app, owner.token, owner.organization.id, second, 'owner')
    t.equal((await remove(owner.token, owner.user.id)).statusCode, 204)
  })

  t.test('every membership change appends organization.members with all members after it, no emails', async (t) => {
    const db = testDb(t, databaseUrl)
    const events = (await eventsOf(db, owner.organization.id)).filter((e) => e.type === 'organization.members')
    // Created, 2 added, 1 role change and back, 2 removals, 1 owner added, the first owner left.
    t.same(
      events.map((e) => e.version),
      events.map((_, i) => i + 1),
      'versions grow by one per change',
    )
    t.equal(events.length, 9)
    const last = events.at(-1)!.payload as { members: Array<{ userId: string; role: string; email?: string }> }
    t.same(
      last.members.map((m) => m.role),
      ['owner'],
    )
    t.notOk(JSON.stringify(events.map((e) => e.payload)).includes('@'), 'no email address travels on the feed')
  })
})
