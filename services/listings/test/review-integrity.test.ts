import t from 'tap'
import { act, createListing, eventsOf, moderator, testDb } from './fixtures.ts'
import { bearer, orgOwner, testApp } from './helpers.ts'
import { multipart, phoneJpeg, upload } from './photo-fixtures.ts'

t.test('what the public sees of an unverified organization was reviewed', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const mod = await moderator(app, databaseUrl, t)
  const post = (url: string, token: string, headers: Record<string, string> = {}, payload?: object) =>
    app.inject({ method: 'POST', url, headers: { ...bearer(token), ...headers }, ...(payload ? { payload } : {}) })
  const patch = (id: string, payload: object, version: number) =>
    app.inject({
      method: 'PATCH',
      url: `/v1/listings/${id}`,
      headers: { ...bearer(owner.token), 'if-match': `"${version}"` },
      payload,
    })
  const published = async () => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    t.equal((await act(app, owner.token, listing.id, 'submit')).json().status, 'pending_review')
    const approved = await post(`/v1/moderation/listings/${listing.id}/approve`, mod.token, { 'if-match': '"2"' })
    t.equal(approved.statusCode, 200)
    t.equal(approved.json().status, 'published')
    return approved.json() as { id: string; version: number }
  }

  t.test('editing the title of an approved listing sends it back to review and off the market', async (t) => {
    const listing = await published()
    const photo = (await upload(app, owner.token, owner.organization.id, multipart(await phoneJpeg()))).json()
    const res = await patch(listing.id, { title: '换了标题的场地', photos: [{ id: photo.id }] }, 3)
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'pending_review')
    t.same(
      (await eventsOf(db, listing.id)).map((e) => [e.type, e.version]),
      [
        ['listing.published', 3],
        ['listing.withdrawn', 4],
      ],
      'discovery withdraws it; the new title never reaches the feed',
    )
    const anonymous = await app.inject({ method: 'GET', url: `/v1/listings/${listing.id}` })
    t.equal(anonymous.statusCode, 404, 'the public no longer sees it until a moderator approves again')
  })

  t.test('editing a paused listing also needs review before it can be resumed', async (t) => {
    const listing = await published()
    await act(app, owner.token, listing.id, 'pause')
    const res = await patch(listing.id, { description: '全新的描述' }, 4)
    t.equal(res.json().status, 'pending_review')
    t.equal((await act(app, owner.token, listing.id, 'resume')).statusCode, 409)
  })

  t.test('prices and hours change without a new review', async (t) => {
    const listing = await published()
    const res = await patch(
      listing.id,
      { pricing: { model: 'fee', unit: 'hour', price: { amount: 5000, currency: 'CNY' } } },
      3,
    )
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'published')
  })

  t.test('approve and reject act on the version the moderator read: 412 when it changed', async (t) => {
    const listing = await createListing(app, owner.token, owner.organization.id)
    await act(app, owner.token, listing.id, 'submit')
    // The owner edits while the listing waits: the moderator reviewed version 2, not 3.
    t.equal((await patch(listing.id, { title: '审核期间改过的标题' }, 2)).json().version, 3)
    for (const [action, payload] of [
      ['approve', undefined],
      ['reject', { reason: '信息不完整' }],
    ] as const) {
      const stale = await post(
        `/v1/moderation/listings/${listing.id}/${action}`,
        mod.token,
        { 'if-match': '"2"' },
        payload,
      )
      t.equal(stale.statusCode, 412, action)
      t.equal(stale.json().code, 'version_mismatch')
    }
    const current = await post(`/v1/moderation/listings/${listing.id}/approve`, mod.token, { 'if-match': '"3"' })
    t.equal(current.statusCode, 200)
    t.equal(current.json().title, '审核期间改过的标题')
  })
})

t.test('moderators cannot act on their own organizations', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const mod = await moderator(app, databaseUrl, t)
  const org = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: bearer(mod.token),
    payload: { name: '版主自己的组织', kind: 'other', district: '黄浦区', city: '上海' },
  })
  const { organization, accessToken } = org.json() as { organization: { id: string }; accessToken: string }
  const listing = await createListing(app, accessToken, organization.id)
  await act(app, accessToken, listing.id, 'submit')
  for (const url of [
    `/v1/moderation/listings/${listing.id}/approve`,
    `/v1/moderation/organizations/${organization.id}/verify`,
  ]) {
    const res = await app.inject({ method: 'POST', url, headers: bearer(accessToken) })
    t.equal(res.statusCode, 403, url)
    t.equal(res.json().code, 'own_organization', url)
  }
  const reject = await app.inject({
    method: 'POST',
    url: `/v1/moderation/listings/${listing.id}/reject`,
    headers: bearer(accessToken),
    payload: { reason: '自己驳回自己' },
  })
  t.equal(reject.json().code, 'own_organization')
  const other = await moderator(app, databaseUrl, t)
  const approved = await app.inject({
    method: 'POST',
    url: `/v1/moderation/listings/${listing.id}/approve`,
    headers: bearer(other.token),
  })
  t.equal(approved.statusCode, 200, 'another moderator may')
})
