import t from 'tap'
import { systemClock } from '../src/deps.ts'
import { setModerator } from '../src/moderation/moderation.service.ts'
import { act, counts, createListing, eventsOf, moderator, testDb, venueBody } from './fixtures.ts'
import { bearer, orgOwner, signUp, testApp } from './helpers.ts'

t.test('moderation', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const mod = await moderator(app, databaseUrl, t)
  const post = (url: string, token?: string, payload?: object) =>
    app.inject({ method: 'POST', url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) })
  const pending = async () => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    await act(app, owner.token, listing.id, 'submit')
    return listing
  }

  t.test('only moderators: 401 anonymous, 403 members (even an owner), nothing written', async (t) => {
    const listing = await pending()
    const before = await counts(db)
    const routes: Array<[string, string, object?]> = [
      ['GET', '/v1/moderation/listings'],
      ['GET', '/v1/moderation/audit'],
      ['POST', `/v1/moderation/listings/${listing.id}/approve`],
      ['POST', `/v1/moderation/listings/${listing.id}/reject`, { reason: '信息不完整' }],
      ['POST', `/v1/moderation/organizations/${owner.organization.id}/verify`],
    ]
    for (const [method, url, payload] of routes) {
      const anon = await app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) })
      t.equal(anon.statusCode, 401, `${method} ${url} anonymous`)
      const member = await app.inject({
        method: method as 'GET',
        url,
        headers: bearer(owner.token),
        ...(payload ? { payload } : {}),
      })
      t.equal(member.statusCode, 403, `${method} ${url} as owner`)
      t.equal(member.json().code, 'forbidden')
    }
    t.same(await counts(db), before)
  })

  t.test('the queue lists pending listings, oldest first, with a cursor', async (t) => {
    const a = await pending()
    const b = await pending()
    const first = await app.inject({
      method: 'GET',
      url: '/v1/moderation/listings?limit=100',
      headers: bearer(mod.token),
    })
    t.equal(first.statusCode, 200)
    const ids = first.json().items.map((l: { id: string }) => l.id)
    t.ok(ids.indexOf(a.id) >= 0 && ids.indexOf(a.id) < ids.indexOf(b.id))
    t.ok(first.json().items.every((l: { status: string }) => l.status === 'pending_review'))
    const page = await app.inject({ method: 'GET', url: '/v1/moderation/listings?limit=1', headers: bearer(mod.token) })
    const next = await app.inject({
      method: 'GET',
      url: `/v1/moderation/listings?limit=1&cursor=${page.json().nextCursor}`,
      headers: bearer(mod.token),
    })
    t.not(next.json().items[0].id, page.json().items[0].id)
    const drafts = await app.inject({
      method: 'GET',
      url: '/v1/moderation/listings?status=draft',
      headers: bearer(mod.token),
    })
    t.same(drafts.json().items, [])
  })

  t.test('approve publishes, sends the snapshot and audits, in one transaction', async (t) => {
    const listing = await pending()
    const res = await post(`/v1/moderation/listings/${listing.id}/approve`, mod.token)
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'published')
    t.equal(res.json().version, 3)
    t.same(
      (await eventsOf(db, listing.id)).map((e) => [e.type, e.version]),
      [['listing.published', 3]],
    )
    const audit = await db.selectFrom('auditLog').selectAll().where('objectId', '=', listing.id).execute()
    t.match(audit, [{ actorId: mod.user.id, action: 'listing.approve', objectType: 'listing', reason: null }])

    const before = await counts(db)
    const again = await post(`/v1/moderation/listings/${listing.id}/approve`, mod.token)
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'invalid_transition')
    t.same(await counts(db), before, 'a refused approval is not audited')
  })

  t.test('reject sends the listing back to draft with the reason; resubmitting clears it', async (t) => {
    const listing = await pending()
    const noReason = await post(`/v1/moderation/listings/${listing.id}/reject`, mod.token, {})
    t.equal(noReason.statusCode, 400)
    t.match(noReason.json().errors, [{ path: 'body.reason' }])
    const res = await post(`/v1/moderation/listings/${listing.id}/reject`, mod.token, { reason: '缺少场地照片' })
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'draft')
    t.equal(res.json().rejectionReason, '缺少场地照片')
    // Never published, so no snapshot: only the rejection, for messaging to tell the owners (no reason on it).
    t.same(
      (await eventsOf(db, listing.id)).map((e) => [e.type, e.payload]),
      [
        [
          'listing.rejected',
          {
            listingId: listing.id,
            organizationId: listing.organizationId,
            title: res.json().title,
            version: res.json().version,
          },
        ],
      ],
    )
    const audit = await db.selectFrom('auditLog').selectAll().where('objectId', '=', listing.id).execute()
    t.match(audit, [{ action: 'listing.reject', reason: '缺少场地照片' }])
    const resubmitted = await act(app, owner.token, listing.id, 'submit')
    t.equal(resubmitted.json().status, 'pending_review')
    t.equal(resubmitted.json().rejectionReason, null)
    const unknown = await post('/v1/moderation/listings/0190f5a4-0000-7000-8000-000000000000/reject', mod.token, {
      reason: '不存在',
    })
    t.equal(unknown.statusCode, 404)
  })

  t.test('verify marks the organization, appends organization.updated and audits', async (t) => {
    const org = await orgOwner(app, { name: '待认证的工会' })
    const res = await post(`/v1/moderation/organizations/${org.organization.id}/verify`, mod.token)
    t.equal(res.statusCode, 200)
    t.equal(res.json().verified, true)
    t.equal(res.json().version, 2)
    t.equal(res.headers.etag, '"2"')
    const events = await eventsOf(db, org.organization.id)
    t.same(
      events.map((e) => [e.type, e.version]),
      [
        ['organization.updated', 1],
        ['organization.members', 1],
        ['organization.updated', 2],
      ],
    )
    t.match(events[2]!.payload, { organization: { id: org.organization.id, verified: true } })
    t.match(await db.selectFrom('auditLog').selectAll().where('objectId', '=', org.organization.id).execute(), [
      { action: 'organization.verify', actorId: mod.user.id },
    ])
    const again = await post(`/v1/moderation/organizations/${org.organization.id}/verify`, mod.token)
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'already_verified')
    const missing = await post('/v1/moderation/organizations/0190f5a4-0000-7000-8000-000000000000/verify', mod.token)
    t.equal(missing.statusCode, 404)
  })

  t.test('the audit log lists every action newest first, with who and why', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/moderation/audit?limit=2', headers: bearer(mod.token) })
    t.equal(res.statusCode, 200)
    const { items, nextCursor } = res.json()
    t.equal(items.length, 2)
    t.equal(items[0].action, 'organization.verify')
    t.equal(items[0].actorName, mod.displayName)
    t.ok(nextCursor)
    const all = await app.inject({ method: 'GET', url: '/v1/moderation/audit?limit=100', headers: bearer(mod.token) })
    t.same(
      all
        .json()
        .items.map((e: { action: string }) => e.action)
        .reverse(),
      ['moderator.grant', 'listing.approve', 'listing.reject', 'organization.verify'],
    )
    // Each entry names its object as it is now: the member, the listings' titles, the organization's name.
    const names = all
      .json()
      .items.map((e: { objectType: string; objectName: string | null }) => [e.objectType, e.objectName])
      .reverse()
    t.same(names[0], ['user', mod.displayName])
    t.same(names.slice(1, 3), [
      ['listing', venueBody().title],
      ['listing', venueBody().title],
    ])
    t.same(names[3], ['organization', '待认证的工会'])
  })

  t.test('a revoked moderator is refused at once, though the token still claims the flag', async (t) => {
    const former = await moderator(app, databaseUrl, t)
    await setModerator({ db, clock: systemClock }, former.user.email, false)
    const res = await app.inject({ method: 'GET', url: '/v1/moderation/listings', headers: bearer(former.token) })
    t.equal(res.statusCode, 403)
    const audit = await db.selectFrom('auditLog').selectAll().where('objectId', '=', former.user.id).execute()
    t.same(
      audit.map((a) => [a.action, a.actorId]),
      [
        ['moderator.grant', null],
        ['moderator.revoke', null],
      ],
    )
  })

  t.test('granting an unknown email is a not-found error and writes nothing', async (t) => {
    const before = await counts(db)
    await t.rejects(setModerator({ db, clock: systemClock }, 'nobody@example.org', true), { code: 'user_not_found' })
    t.same(await counts(db), before)
    const someone = await signUp(app)
    t.equal(
      (await setModerator({ db, clock: systemClock }, ` ${someone.user.email.toUpperCase()} `, true)).id,
      someone.user.id,
    )
  })
})
