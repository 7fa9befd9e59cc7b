// Reading listings: one by id (who sees a draft) and an organization's list (who sees which states, paging).
import t from 'tap'
import { act, createListing, expertiseBody, moderator, venueBody, volunteerBody } from './fixtures.ts'
import { bearer, orgOwner, signUp, testApp } from './helpers.ts'

t.test('reading a listing', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const owner = await orgOwner(app)
  const other = await orgOwner(app, { name: '别的组织' })
  const mod = await moderator(app, databaseUrl, t)
  const draft = await createListing(app, owner.token, owner.organization.id)

  t.test('members and moderators see a draft; others get 404', async (t) => {
    for (const [who, headers, status] of [
      ['owner', bearer(owner.token), 200],
      ['moderator', bearer(mod.token), 200],
      ['another organization', bearer(other.token), 404],
      ['anonymous', {}, 404],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/v1/listings/${draft.id}`, headers })
      t.equal(res.statusCode, status, who)
      if (status === 200) t.equal(res.headers.etag, '"1"')
      else t.equal(res.json().code, 'listing_not_found')
    }
  })

  t.test('a published listing is public', async (t) => {
    const verified = await orgOwner(app, { name: '已认证组织' })
    await app.inject({
      method: 'POST',
      url: `/v1/moderation/organizations/${verified.organization.id}/verify`,
      headers: bearer(mod.token),
    })
    const listing = await createListing(app, verified.token, verified.organization.id)
    await act(app, verified.token, listing.id, 'submit')
    const res = await app.inject({ method: 'GET', url: `/v1/listings/${listing.id}` })
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'published')
    t.equal(res.headers.etag, '"2"')
  })

  t.test('an unknown id is 404 and a malformed one 400', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/listings/0190f5a4-0000-7000-8000-000000000000' })
    t.equal(res.statusCode, 404)
    t.equal((await app.inject({ method: 'GET', url: '/v1/listings/nope' })).statusCode, 400)
  })
})

t.test("an organization's listings", async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const owner = await orgOwner(app)
  const mod = await moderator(app, databaseUrl, t)
  await app.inject({
    method: 'POST',
    url: `/v1/moderation/organizations/${owner.organization.id}/verify`,
    headers: bearer(mod.token),
  })
  const ids: string[] = []
  for (const body of [venueBody(), expertiseBody(), volunteerBody(), venueBody({ title: '第二个场地' })]) {
    ids.push((await createListing(app, owner.token, owner.organization.id, body)).id)
  }
  await act(app, owner.token, ids[0]!, 'submit')
  await act(app, owner.token, ids[1]!, 'submit')
  const url = `/v1/organizations/${owner.organization.id}/listings`
  const list = async (query: string, token?: string) =>
    app.inject({ method: 'GET', url: `${url}${query}`, headers: token ? bearer(token) : {} })

  t.test('the public sees published listings only, newest first', async (t) => {
    const res = await list('')
    t.equal(res.statusCode, 200)
    t.same(
      res.json().items.map((l: { id: string }) => l.id),
      [ids[1], ids[0]],
    )
    t.same((await list('?status=draft')).json().items, [])
    const stranger = await signUp(app)
    t.equal((await list('', stranger.accessToken)).json().items.length, 2)
  })

  t.test('members and moderators see every state, filtered by status and kind', async (t) => {
    t.equal((await list('', owner.token)).json().items.length, 4)
    t.equal((await list('', mod.token)).json().items.length, 4)
    t.same(
      (await list('?status=draft&kind=venue', owner.token)).json().items.map((l: { id: string }) => l.id),
      [ids[3]],
    )
  })

  t.test('pages with a cursor', async (t) => {
    const first = (await list('?limit=3', owner.token)).json()
    t.equal(first.items.length, 3)
    t.ok(first.nextCursor)
    const second = (await list(`?limit=3&cursor=${first.nextCursor}`, owner.token)).json()
    t.same(
      second.items.map((l: { id: string }) => l.id),
      [ids[0]],
    )
    t.equal(second.nextCursor, null)
    const bad = await list('?cursor=garbage', owner.token)
    t.equal(bad.statusCode, 400)
    t.equal(bad.json().code, 'invalid_cursor')
  })

  t.test('an unknown organization is 404', async (t) => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/organizations/0190f5a4-0000-7000-8000-000000000000/listings',
    })
    t.equal(res.statusCode, 404)
  })
})
