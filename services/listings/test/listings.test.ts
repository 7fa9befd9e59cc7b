import t from 'tap'
import {
  act,
  counts,
  createListing,
  eventsOf,
  expertiseBody,
  moderator,
  testDb,
  venueBody,
  volunteerBody,
} from './fixtures.ts'
import { bearer, joinOrganization, orgOwner, signUp, testApp } from './helpers.ts'

t.test('creating a listing', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const other = await orgOwner(app, { name: '另一个社区' })
  const url = `/v1/organizations/${owner.organization.id}/listings`

  t.test('an owner creates a draft of each kind, with ETag and defaults', async (t) => {
    for (const body of [venueBody(), expertiseBody(), volunteerBody()]) {
      const res = await app.inject({ method: 'POST', url, headers: bearer(owner.token), payload: body })
      t.equal(res.statusCode, 201, body.kind)
      const listing = res.json()
      t.equal(listing.status, 'draft')
      t.equal(listing.version, 1)
      t.equal(listing.organizationId, owner.organization.id)
      t.equal(listing.kind, body.kind)
      t.equal(res.headers.etag, '"1"')
      t.same(listing.pricing, { model: 'free' }, 'pricing defaults to free')
      t.equal(listing.rules.cancellationPolicy, 'flexible')
    }
    t.same(
      (await counts(db)).events,
      4,
      'drafts are not on the feed (only organization.updated and organization.members of each organization)',
    )
  })

  t.test('an admin added by the owner may create one', async (t) => {
    const admin = await signUp(app)
    await joinOrganization(app, owner.token, owner.organization.id, admin, 'admin')
    const res = await app.inject({ method: 'POST', url, headers: bearer(admin.accessToken), payload: venueBody() })
    t.equal(res.statusCode, 201)
  })

  t.test('refusals write nothing', async (t) => {
    const member = await signUp(app)
    await joinOrganization(app, owner.token, owner.organization.id, member)
    // After the member joined: joining is a write (organization.members), the refusals below are not.
    const before = await counts(db)
    const cases = [
      { name: 'anonymous', headers: {}, status: 401, code: 'unauthenticated' },
      { name: 'a member of another organization', headers: bearer(other.token), status: 403, code: 'forbidden' },
      { name: 'a plain member', headers: bearer(member.accessToken), status: 403, code: 'forbidden' },
    ]
    for (const c of cases) {
      const res = await app.inject({ method: 'POST', url, headers: c.headers, payload: venueBody() })
      t.equal(res.statusCode, c.status, c.name)
      t.equal(res.json().code, c.code, c.name)
      t.match(res.headers['content-type'], /application\/problem\+json/)
    }
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/organizations/0190f5a4-0000-7000-8000-000000000000/listings',
      headers: bearer(owner.token),
      payload: venueBody(),
    })
    t.equal(missing.statusCode, 404)
    t.equal(missing.json().code, 'organization_not_found')
    t.same(await counts(db), before)
  })

  t.test('invalid bodies are 400 naming the field', async (t) => {
    const cases: Array<[string, object, string]> = [
      ['venue without capacity', { ...venueBody(), capacity: undefined }, 'body.capacity'],
      ['onsite expertise without an address', expertiseBody({ delivery: 'onsite' }), 'body.location.address'],
      [
        'a fee of 0',
        venueBody({ pricing: { model: 'fee', unit: 'hour', price: { amount: 0, currency: 'CNY' } } }),
        'body.pricing.price.amount',
      ],
      [
        'overlapping opening hours',
        venueBody({
          availability: {
            weekly: {
              tue: [
                { start: '09:00', end: '12:00' },
                { start: '11:00', end: '13:00' },
              ],
            },
          },
        }),
        'body.availability.weekly.tue',
      ],
      [
        'a photo that is a link, not an upload',
        venueBody({ photos: [{ id: 'https://example.org/a.jpg' }] }),
        'body.photos.0.id',
      ],
      ['a server-set status', venueBody({ status: 'published' }), 'body.status'],
      ['a field of another kind', venueBody({ skills: ['x'] }), 'body.skills'],
    ]
    for (const [name, payload, path] of cases) {
      const res = await app.inject({ method: 'POST', url, headers: bearer(owner.token), payload })
      t.equal(res.statusCode, 400, name)
      t.ok(
        res.json().errors.some((e: { path: string }) => e.path === path),
        `${name}: ${JSON.stringify(res.json().errors)}`,
      )
    }
  })
})

t.test('updating a listing', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const other = await orgOwner(app, { name: '别的组织' })
  const mod = await moderator(app, databaseUrl, t)
  const patch = (id: string, payload: object, headers: Record<string, string>) =>
    app.inject({ method: 'PATCH', url: `/v1/listings/${id}`, headers, payload })

  t.test('merges the change, keeps the rest and bumps the version', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    const res = await patch(
      listing.id,
      { title: '新的标题', capacity: 80 },
      { ...bearer(owner.token), 'if-match': '"1"' },
    )
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.equal(body.title, '新的标题')
    t.equal(body.capacity, 80)
    t.equal(body.areaSqm, 120, 'fields not named stay')
    t.same(body.amenities, ['projector', 'wifi', 'accessible'])
    t.equal(body.version, 2)
    t.equal(res.headers.etag, '"2"')
  })

  t.test('null removes an optional field', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    const res = await patch(listing.id, { areaSqm: null }, { ...bearer(owner.token), 'if-match': '1' })
    t.equal(res.statusCode, 200)
    t.notOk('areaSqm' in res.json())
  })

  t.test('If-Match: 428 without, 412 when stale; nothing changes', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    const missing = await patch(listing.id, { title: '改一下' }, bearer(owner.token))
    t.equal(missing.statusCode, 428)
    t.equal(missing.json().code, 'if_match_required')
    const stale = await patch(listing.id, { title: '改一下' }, { ...bearer(owner.token), 'if-match': '"7"' })
    t.equal(stale.statusCode, 412)
    t.equal(stale.json().code, 'version_mismatch')
    const row = await db.selectFrom('listings').selectAll().where('id', '=', listing.id).executeTakeFirstOrThrow()
    t.equal(row.version, 1)
    t.equal(row.title, venueBody().title)
  })

  t.test('bad changes are 400 naming the field, and change nothing', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    const headers = { ...bearer(owner.token), 'if-match': '"1"' }
    const cases: Array<[string, object, string]> = [
      ['the kind', { kind: 'expertise' }, 'body.kind'],
      ['the status', { status: 'published' }, 'body.status'],
      ['the version', { version: 9 }, 'body.version'],
      ['the organization', { organizationId: other.organization.id }, 'body.organizationId'],
      ['a timestamp', { createdAt: '2026-01-01T00:00:00+08:00' }, 'body.createdAt'],
      ['a field of another kind', { skills: ['修电脑'] }, 'body.skills'],
      ['a wrong type', { capacity: 'many' }, 'body.capacity'],
      ['removing a required field', { capacity: null }, 'body.capacity'],
      [
        'min above max duration',
        { rules: { slotMinutes: 60, minDurationMinutes: 240, maxDurationMinutes: 120 } },
        'body.rules.minDurationMinutes',
      ],
    ]
    for (const [name, payload, path] of cases) {
      const res = await patch(listing.id, payload, headers)
      t.equal(res.statusCode, 400, name)
      t.ok(
        res.json().errors?.some((e: { path: string }) => e.path === path),
        `${name}: ${JSON.stringify(res.json().errors)}`,
      )
    }
    const row = await db.selectFrom('listings').selectAll().where('id', '=', listing.id).executeTakeFirstOrThrow()
    t.equal(row.version, 1)
  })

  t.test('who may update: 401 anonymous, 404 another organization on a draft, 403 on a published one', async (t) => {
    const draft = await createListing(app, owner.token, owner.organization.id)
    const anon = await patch(draft.id, { title: '匿名修改' }, { 'if-match': '"1"' })
    t.equal(anon.statusCode, 401)
    const hidden = await patch(draft.id, { title: '别人修改' }, { ...bearer(other.token), 'if-match': '"1"' })
    t.equal(hidden.statusCode, 404)
    t.equal(hidden.json().code, 'listing_not_found')

    await app.inject({
      method: 'POST',
      url: `/v1/moderation/organizations/${owner.organization.id}/verify`,
      headers: bearer(mod.token),
    })
    const published = await createListing(app, owner.token, owner.organization.id)
    t.equal((await act(app, owner.token, published.id, 'submit')).json().status, 'published')
    const before = await eventsOf(db, published.id)
    const denied = await patch(published.id, { title: '别人修改' }, { ...bearer(other.token), 'if-match': '"2"' })
    t.equal(denied.statusCode, 403)
    t.equal(denied.json().code, 'forbidden')
    t.same(await eventsOf(db, published.id), before, 'no event from a refused change')
  })

  t.test('a change of a published listing sends a fresh snapshot with the new version', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    await act(app, owner.token, listing.id, 'submit')
    const res = await patch(listing.id, { title: '更新后的多功能厅' }, { ...bearer(owner.token), 'if-match': '"2"' })
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'published')
    const events = await eventsOf(db, listing.id)
    t.same(
      events.map((e) => [e.type, e.version]),
      [
        ['listing.published', 2],
        ['listing.published', 3],
      ],
    )
    const payload = events[1]!.payload as { listing: { title: string; version: number }; organization: object }
    t.equal(payload.listing.title, '更新后的多功能厅')
    t.equal(payload.listing.version, 3)
    t.match(payload.organization, { id: owner.organization.id, name: String, kind: 'party_branch', verified: true })
  })

  t.test('an archived listing cannot change: 409 invalid_transition', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    await act(app, owner.token, listing.id, 'archive')
    const res = await patch(listing.id, { title: '复活' }, { ...bearer(owner.token), 'if-match': '"2"' })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'invalid_transition')
  })
})

t.test('the lifecycle', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const other = await orgOwner(app, { name: '别的组织' })
  const mod = await moderator(app, databaseUrl, t)

  t.test('an unverified organization submits for review; nothing reaches the feed', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    const res = await act(app, owner.token, listing.id, 'submit')
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'pending_review')
    t.equal(res.headers.etag, '"2"')
    t.same(await eventsOf(db, listing.id), [])
    const again = await act(app, owner.token, listing.id, 'submit')
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'invalid_transition')
    t.equal((await act(app, owner.token, listing.id, 'pause')).statusCode, 409)
    t.equal((await act(app, owner.token, listing.id, 'resume')).statusCode, 409)
  })

  t.test('a verified organization publishes on submit; pause, resume and archive reach the feed', async (t) => {
    const verify = await app.inject({
      method: 'POST',
      url: `/v1/moderation/organizations/${other.organization.id}/verify`,
      headers: bearer(mod.token),
    })
    t.equal(verify.statusCode, 200)
    const listing = await createListing(app, other.token, other.organization.id, expertiseBody())
    const steps = [
      ['submit', 'published'],
      ['pause', 'paused'],
      ['resume', 'published'],
      ['archive', 'archived'],
    ] as const
    for (const [action, status] of steps) {
      const res = await act(app, other.token, listing.id, action)
      t.equal(res.statusCode, 200, action)
      t.equal(res.json().status, status, action)
    }
    const events = await eventsOf(db, listing.id)
    t.same(
      events.map((e) => [e.type, e.version]),
      [
        ['listing.published', 2],
        ['listing.withdrawn', 3],
        ['listing.published', 4],
        ['listing.withdrawn', 5],
      ],
    )
    t.same(events[1]!.payload, {
      listingId: listing.id,
      organizationId: other.organization.id,
      status: 'paused',
      version: 3,
    })
    const first = events[0]!.payload as { listing: { status: string; publishedAt: string }; organization: object }
    t.equal(first.listing.status, 'published')
    t.ok(first.listing.publishedAt)
    t.same(first.organization, { id: other.organization.id, name: '别的组织', kind: 'party_branch', verified: true })
    for (const action of ['archive', 'resume', 'submit']) {
      const res = await act(app, other.token, listing.id, action)
      t.equal(res.statusCode, 409, `${action} after archive`)
      t.equal(res.json().code, 'invalid_transition')
    }
  })

  t.test('archiving a paused listing sends no second withdrawal', async (t) => {
    const listing = await createListing(app, other.token, other.organization.id)
    await act(app, other.token, listing.id, 'submit')
    await act(app, other.token, listing.id, 'pause')
    await act(app, other.token, listing.id, 'archive')
    t.same(
      (await eventsOf(db, listing.id)).map((e) => e.type),
      ['listing.published', 'listing.withdrawn'],
    )
  })

  t.test('If-Match on an action is honoured when given', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    const res = await app.inject({
      method: 'POST',
      url: `/v1/listings/${listing.id}/submit`,
      headers: { ...bearer(owner.token), 'if-match': '"5"' },
    })
    t.equal(res.statusCode, 412)
  })

  t.test('every action refuses anonymous (401), another organization (404 draft, 403 published)', async (t) => {
    const draft = await createListing(app, owner.token, owner.organization.id)
    const published = await createListing(app, other.token, other.organization.id)
    await act(app, other.token, published.id, 'submit')
    const before = await counts(db)
    for (const action of ['submit', 'pause', 'resume', 'archive']) {
      t.equal((await act(app, undefined, draft.id, action)).statusCode, 401, `${action} anonymous`)
      const hidden = await act(app, other.token, draft.id, action)
      t.equal(hidden.statusCode, 404, `${action} on a draft of another organization`)
      const denied = await act(app, owner.token, published.id, action)
      t.equal(denied.statusCode, 403, `${action} on a published listing of another organization`)
      t.equal(denied.json().code, 'forbidden')
    }
    t.same(await counts(db), before, 'nothing written')
    const row = await db.selectFrom('listings').select('status').where('id', '=', draft.id).executeTakeFirstOrThrow()
    t.equal(row.status, 'draft')
  })
})

t.test('an oversized body is 413 and writes nothing', async (t) => {
  const { app, databaseUrl } = await testApp(t, { BODY_LIMIT_BYTES: '2048' })
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const before = await counts(db)
  const res = await app.inject({
    method: 'POST',
    url: `/v1/organizations/${owner.organization.id}/listings`,
    headers: bearer(owner.token),
    payload: venueBody({ description: '很'.repeat(3000) }),
  })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'payload_too_large')
  t.same(await counts(db), before)
})
