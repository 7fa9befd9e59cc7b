import { decodeJwt } from 'jose'
import t from 'tap'
import { eventsOf, moderator, testDb } from './fixtures.ts'
import { bearer, joinOrganization, orgOwner, signUp, testApp } from './helpers.ts'

t.test('invitations instead of adding members directly', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const orgId = owner.organization.id
  const other = await orgOwner(app, { name: '别的组织' })
  const invite = (token: string, email: string, role = 'member') =>
    app.inject({
      method: 'POST',
      url: `/v1/organizations/${orgId}/members`,
      headers: bearer(token),
      payload: { email, role },
    })
  const answer = (token: string, id: string, action: 'accept' | 'decline') =>
    app.inject({ method: 'POST', url: `/v1/invitations/${id}/${action}`, headers: bearer(token) })
  const mine = async (token: string) =>
    (await app.inject({ method: 'GET', url: '/v1/me/invitations', headers: bearer(token) })).json().items as Array<{
      id: string
      organizationId: string
    }>
  const openOf = async (token: string, organizationId = orgId) =>
    app.inject({ method: 'GET', url: `/v1/organizations/${organizationId}/invitations`, headers: bearer(token) })
  const memberIds = async () =>
    (
      (
        await app.inject({ method: 'GET', url: `/v1/organizations/${orgId}/members`, headers: bearer(owner.token) })
      ).json().items as Array<{ userId: string }>
    ).map((m) => m.userId)
  const invitationEvents = async (id: string) =>
    (await eventsOf(db, id)).filter((e) => e.type === 'organization.invitation')
  const userCount = async () =>
    Number(
      (
        await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  t.test('the answer is the same for an account, an unknown email and a member', async (t) => {
    const person = await signUp(app)
    const member = await signUp(app)
    await joinOrganization(app, owner.token, orgId, member)
    const users = await userCount()
    const answers = [
      await invite(owner.token, person.user.email),
      await invite(owner.token, 'nobody-yet@example.org'),
      await invite(owner.token, member.user.email),
    ]
    t.same(
      answers.map((a) => a.statusCode),
      [202, 202, 202],
    )
    for (const a of answers) {
      t.same(Object.keys(a.json()).sort(), [
        'createdAt',
        'email',
        'expiresAt',
        'id',
        'invitedBy',
        'organizationId',
        'organizationName',
        'role',
        'status',
      ])
      t.equal(a.json().status, 'pending')
      t.equal(a.json().role, 'member')
    }
    t.equal(await userCount(), users, 'no account is made for an unknown email')
    t.notOk((await memberIds()).includes(person.user.id), 'an invitation is no membership')
  })

  t.test('no membership without acceptance; accepting makes it and publishes organization.members', async (t) => {
    const person = await signUp(app)
    const invited = await invite(owner.token, person.user.email, 'admin')
    const id = invited.json().id as string
    const membersBefore = (await eventsOf(db, orgId)).filter((e) => e.type === 'organization.members').length
    t.notOk((await memberIds()).includes(person.user.id))
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(person.accessToken) })
    t.same(me.json().memberships, [], 'the invitee is no member yet')
    t.same(
      (await mine(person.accessToken)).map((i) => i.id),
      [id],
      'the invitee sees it',
    )
    const events = await invitationEvents(id)
    t.equal(events.length, 1, 'the invitee is told through the feed')
    t.match(events[0]?.payload, { invitationId: id, organizationId: orgId, userId: person.user.id, role: 'admin' })
    t.notOk(JSON.stringify(events[0]?.payload).includes('@'), 'no email travels on the feed')

    const accepted = await answer(person.accessToken, id, 'accept')
    t.equal(accepted.statusCode, 200)
    t.equal(accepted.json().invitation.status, 'accepted')
    t.equal(decodeJwt(accepted.json().accessToken).orgs?.[orgId as never], 'admin', 'the fresh token names the role')
    t.ok((await memberIds()).includes(person.user.id))
    const members = (await eventsOf(db, orgId)).filter((e) => e.type === 'organization.members')
    t.equal(members.length, membersBefore + 1, 'one organization.members, as any membership change')
    const last = members.at(-1)?.payload as { members: Array<{ userId: string; role: string }> }
    t.match(
      last.members.find((m) => m.userId === person.user.id),
      { role: 'admin' },
    )
    t.same(await mine(person.accessToken), [], 'no longer pending')
    const again = await answer(person.accessToken, id, 'accept')
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'invitation_closed')
  })

  t.test('only the invited email can accept or decline; others get 404', async (t) => {
    const person = await signUp(app)
    const intruder = await signUp(app)
    const id = (await invite(owner.token, person.user.email)).json().id as string
    for (const action of ['accept', 'decline'] as const) {
      const res = await answer(intruder.accessToken, id, action)
      t.equal(res.statusCode, 404, action)
      t.equal(res.json().code, 'invitation_not_found')
    }
    t.equal((await answer(owner.token, id, 'accept')).statusCode, 404, 'not even the inviting owner')
    t.same(await mine(intruder.accessToken), [])
    t.notOk((await memberIds()).includes(intruder.user.id))
    const anonymous = await app.inject({ method: 'POST', url: `/v1/invitations/${id}/accept` })
    t.equal(anonymous.statusCode, 401)
  })

  t.test('declining makes no membership and closes the invitation', async (t) => {
    const person = await signUp(app)
    const id = (await invite(owner.token, person.user.email)).json().id as string
    const declined = await answer(person.accessToken, id, 'decline')
    t.equal(declined.statusCode, 200)
    t.equal(declined.json().status, 'declined')
    t.notOk((await memberIds()).includes(person.user.id))
    t.equal((await answer(person.accessToken, id, 'accept')).json().code, 'invitation_closed')
    t.notOk(
      (await openOf(owner.token)).json().items.some((i: { id: string }) => i.id === id),
      'gone from the open ones',
    )
  })

  t.test('admins list and revoke open invitations; a revoked one cannot be accepted', async (t) => {
    const person = await signUp(app)
    const member = await signUp(app)
    await joinOrganization(app, owner.token, orgId, member)
    const id = (await invite(owner.token, person.user.email)).json().id as string
    const open = await openOf(owner.token)
    t.equal(open.statusCode, 200)
    t.ok(open.json().items.some((i: { id: string; email: string }) => i.id === id && i.email === person.user.email))
    t.equal((await openOf(member.accessToken)).statusCode, 403, 'plain members do not see invitations')
    t.equal((await openOf(other.token)).statusCode, 403, 'nor other organizations')
    const revoke = (token: string, organizationId = orgId) =>
      app.inject({
        method: 'DELETE',
        url: `/v1/organizations/${organizationId}/invitations/${id}`,
        headers: bearer(token),
      })
    t.equal((await revoke(member.accessToken)).statusCode, 403)
    t.equal((await revoke(other.token)).statusCode, 403)
    t.equal((await revoke(other.token, other.organization.id)).statusCode, 404, "not another organization's")
    t.equal((await revoke(owner.token)).statusCode, 204)
    t.equal((await revoke(owner.token)).json().code, 'invitation_closed')
    t.same(await mine(person.accessToken), [])
    const late = await answer(person.accessToken, id, 'accept')
    t.equal(late.statusCode, 409)
    t.equal(late.json().code, 'invitation_closed')
    t.notOk((await memberIds()).includes(person.user.id))
  })

  t.test('an expired invitation cannot be accepted; inviting again refreshes it', async (t) => {
    const person = await signUp(app)
    const first = (await invite(owner.token, person.user.email)).json()
    await db
      .updateTable('invitations')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', first.id)
      .execute()
    t.same(await mine(person.accessToken), [], 'an expired invitation is not pending')
    const expired = await answer(person.accessToken, first.id, 'accept')
    t.equal(expired.statusCode, 409)
    t.equal(expired.json().code, 'invitation_closed')
    t.match((await openOf(owner.token)).json().items, [{ id: first.id, status: 'expired' }])

    const again = await invite(owner.token, person.user.email, 'admin')
    t.equal(again.statusCode, 202)
    t.equal(again.json().id, first.id, 'the same invitation, refreshed')
    t.equal(again.json().role, 'admin')
    t.equal(again.json().status, 'pending')
    t.ok(Date.parse(again.json().expiresAt) > Date.now() + 13 * 24 * 3600 * 1000)
    t.same(
      (await invitationEvents(first.id)).map((e) => e.version),
      [1, 2],
      'each refresh tells the invitee again',
    )
    t.equal((await answer(person.accessToken, first.id, 'accept')).statusCode, 200)
  })

  t.test('an invitation to an email without an account waits for the account', async (t) => {
    const email = `later-${Date.now()}@example.org`
    const id = (await invite(owner.token, email)).json().id as string
    t.same(await invitationEvents(id), [], 'nobody to tell yet')
    const person = await signUp(app, { email })
    t.same(
      (await mine(person.accessToken)).map((i) => i.id),
      [id],
    )
    t.equal((await answer(person.accessToken, id, 'accept')).statusCode, 200)
    t.ok((await memberIds()).includes(person.user.id))
  })

  t.test('a moderator joins only by accepting, like anyone', async (t) => {
    const mod = await moderator(app, databaseUrl, t)
    const modUser = await db.selectFrom('users').select(['id', 'email']).where('moderator', '=', true).execute()
    const email = modUser.at(-1)!.email
    t.equal((await invite(owner.token, email)).statusCode, 202)
    t.notOk((await memberIds()).includes(modUser.at(-1)!.id))
    t.equal((await mine(mod.token)).length, 1)
  })

  t.test('admins invite members and admins; only owners invite owners; others are refused', async (t) => {
    const admin = await signUp(app)
    await joinOrganization(app, owner.token, orgId, admin, 'admin')
    t.equal((await invite(admin.accessToken, 'someone@example.org', 'admin')).statusCode, 202)
    const owners = await invite(admin.accessToken, 'someone-else@example.org', 'owner')
    t.equal(owners.statusCode, 403)
    t.equal((await invite(other.token, 'someone@example.org')).statusCode, 403)
    const anonymous = await app.inject({
      method: 'POST',
      url: `/v1/organizations/${orgId}/members`,
      payload: { email: 'someone@example.org' },
    })
    t.equal(anonymous.statusCode, 401)
  })
})
