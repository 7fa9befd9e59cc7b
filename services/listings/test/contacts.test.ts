import t from 'tap'
import { eventsOf, testDb, venueBody } from './fixtures.ts'
import { bearer, orgOwner, signUp, testApp } from './helpers.ts'

const MOBILE = '13912345678'

t.test('organization contacts and listing arrival details', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app, { name: '花木街道党群服务中心' })
  const outsider = await signUp(app)
  const orgId = owner.organization.id
  const put = (token: string, payload: object) =>
    app.inject({ method: 'PUT', url: `/v1/organizations/${orgId}/contacts`, headers: bearer(token), payload })

  t.test('an admin sets contacts; the number is normalised and validated as a mainland mobile', async (t) => {
    const bad = await put(owner.token, { contactPerson: '张主任', mobile: '12345678901' })
    t.equal(bad.statusCode, 400)
    t.match(bad.json().errors, [{ path: 'body.mobile' }])
    const badWechat = await put(owner.token, { contactPerson: '张主任', mobile: MOBILE, wechatId: '1abc' })
    t.equal(badWechat.statusCode, 400)
    const res = await put(owner.token, { contactPerson: '张主任', mobile: '+86 139-1234-5678', wechatId: 'zhang_hm01' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { contacts: { contactPerson: '张主任', mobile: MOBILE, wechatId: 'zhang_hm01' } })
    const read = await app.inject({
      method: 'GET',
      url: `/v1/organizations/${orgId}/contacts`,
      headers: bearer(owner.token),
    })
    t.same(read.json().contacts.mobile, MOBILE)
  })

  t.test('outsiders neither read nor write them', async (t) => {
    const read = await app.inject({
      method: 'GET',
      url: `/v1/organizations/${orgId}/contacts`,
      headers: bearer(outsider.accessToken),
    })
    t.equal(read.statusCode, 403)
    t.equal((await put(outsider.accessToken, { contactPerson: '冒充', mobile: MOBILE })).statusCode, 403)
    const anonymous = await app.inject({ method: 'GET', url: `/v1/organizations/${orgId}/contacts` })
    t.equal(anonymous.statusCode, 401)
  })

  t.test('they travel only on a private.* event, never on the public organization or its event', async (t) => {
    const events = await eventsOf(db, orgId)
    const contactEvents = events.filter((e) => e.type === 'private.organization_contacts')
    t.equal(contactEvents.length, 1)
    t.match(contactEvents[0]!.payload, { organizationId: orgId, contacts: { mobile: MOBILE } })
    for (const e of events.filter((e) => !e.type.startsWith('private.'))) {
      t.notOk(JSON.stringify(e.payload).includes(MOBILE), `${e.type} does not carry the number`)
    }
    const profile = await app.inject({ method: 'GET', url: `/v1/organizations/${orgId}` })
    t.notOk(profile.body.includes(MOBILE))
  })

  t.test('a listing keeps arrival notes and payment terms for its organization only', async (t) => {
    const created = await app.inject({
      method: 'POST',
      url: `/v1/organizations/${orgId}/listings`,
      headers: bearer(owner.token),
      payload: venueBody(),
    })
    const listing = created.json()
    const body = { arrivalNotes: '从东门进，二楼左转；保安处登记。', paymentTerms: `微信转账给张主任 ${MOBILE}` }
    const res = await app.inject({
      method: 'PUT',
      url: `/v1/listings/${listing.id}/private-details`,
      headers: bearer(owner.token),
      payload: body,
    })
    t.equal(res.statusCode, 200)
    t.same(res.json().details, body)
    const own = await app.inject({
      method: 'GET',
      url: `/v1/listings/${listing.id}/private-details`,
      headers: bearer(owner.token),
    })
    t.same(own.json().details, body)
    const other = await app.inject({
      method: 'GET',
      url: `/v1/listings/${listing.id}/private-details`,
      headers: bearer(outsider.accessToken),
    })
    t.equal(other.statusCode, 404)
    const events = await eventsOf(db, listing.id)
    t.same(
      events.map((e) => e.type),
      ['private.listing_details'],
    )
    const publicListing = await app.inject({ method: 'GET', url: `/v1/listings/${listing.id}`, headers: {} })
    t.notOk(publicListing.body.includes('东门'))
  })
})
