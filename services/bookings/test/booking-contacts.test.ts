import { LISTINGS_EVENTS } from '@commons/contracts'
import t from 'tap'
import { act, bearer, book, makeListing, parties, testApp, tokenFor } from './helpers.ts'

const PROVIDER_MOBILE = '13912345678'
const REQUESTER_MOBILE = '13687654321'

t.test('contacts on a booking: names from the start, contacts once confirmed, for the parties only', async (t) => {
  const h = await testApp(t, { now: '2026-11-21T00:00:00Z' })
  const listing = makeListing()
  await h.publish(listing)
  const p = await parties(listing)
  const requester = { ...p.requester, token: await tokenFor({ ...p.requester, displayName: '李书记' }) }
  const org = (id: string, name: string) =>
    h.emit({
      type: LISTINGS_EVENTS.organizationUpdated,
      entityId: id,
      version: 1,
      payload: {
        organization: {
          id,
          name,
          kind: 'party_branch',
          district: '浦东新区',
          city: '上海',
          description: '',
          verified: true,
          version: 1,
          createdAt: '2026-11-01T00:00:00Z',
          updatedAt: '2026-11-01T00:00:00Z',
        },
      },
    })
  const contacts = (id: string, contactPerson: string, mobile: string, version = 1) =>
    h.emit({
      type: LISTINGS_EVENTS.organizationContacts,
      entityId: id,
      version,
      payload: { organizationId: id, contacts: { contactPerson, mobile, wechatId: null } },
    })
  await org(listing.organizationId, '花木街道党群服务中心')
  await org(p.requesterOrg, '联洋社区青年志愿者协会')
  await contacts(listing.organizationId, '张主任', PROVIDER_MOBILE, 2)
  await contacts(listing.organizationId, '旧联系人', '13000000000', 1) // a replayed older event changes nothing
  await contacts(p.requesterOrg, '李书记', REQUESTER_MOBILE)
  await h.emit({
    type: LISTINGS_EVENTS.listingPrivateDetails,
    entityId: listing.id,
    version: 1,
    payload: {
      listingId: listing.id,
      organizationId: listing.organizationId,
      details: { arrivalNotes: '从东门进，二楼左转', paymentTerms: '现场微信支付' },
    },
  })
  let day = 0
  const newBooking = async () => {
    const d = `2026-12-${String(++day).padStart(2, '0')}`
    const res = await book(h.app, requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: `${d}T10:00`,
      end: `${d}T11:00`,
    })
    t.equal(res.statusCode, 201)
    return res.json()
  }
  const get = (token: string, id: string) =>
    h.app.inject({ method: 'GET', url: `/v1/bookings/${id}`, headers: bearer(token) })

  t.test('a request shows the names of both sides and the booker, and no contacts', async (t) => {
    const b = await newBooking()
    t.same(b.parties, {
      provider: { organizationId: listing.organizationId, organizationName: '花木街道党群服务中心' },
      requester: { organizationId: p.requesterOrg, organizationName: '联洋社区青年志愿者协会', bookerName: '李书记' },
    })
    t.equal(b.contacts, null)
    const seen = await get(p.provider.token, b.id)
    t.equal(seen.json().contacts, null)
    t.notOk(seen.body.includes(REQUESTER_MOBILE))
    const inbox = await h.app.inject({
      method: 'GET',
      url: `/v1/bookings?as=provider&organizationId=${listing.organizationId}`,
      headers: bearer(p.provider.token),
    })
    t.notOk(inbox.body.includes(REQUESTER_MOBILE), 'the inbox holds no number before accepting')
    t.equal(inbox.json().items[0].parties.requester.bookerName, '李书记')
  })

  t.test('accepting reveals each side to the other: contacts, address, arrival notes, payment terms', async (t) => {
    const b = await newBooking()
    const accepted = await act(h.app, p.provider.token, b.id, 'accept')
    t.equal(accepted.statusCode, 200)
    t.same(accepted.json().contacts, {
      provider: { contactPerson: '张主任', mobile: PROVIDER_MOBILE, wechatId: null },
      requester: { contactPerson: '李书记', mobile: REQUESTER_MOBILE, wechatId: null },
      address: '世纪大道 1 号',
      arrivalNotes: '从东门进，二楼左转',
      paymentTerms: '现场微信支付',
    })
    const mine = await get(requester.token, b.id)
    t.equal(mine.json().contacts.provider.mobile, PROVIDER_MOBILE)
    const inbox = await h.app.inject({
      method: 'GET',
      url: `/v1/bookings?as=provider&organizationId=${listing.organizationId}&status=confirmed`,
      headers: bearer(p.provider.token),
    })
    t.equal(inbox.json().items[0].contacts.requester.mobile, REQUESTER_MOBILE)
  })

  t.test('moderators and outsiders do not get contacts; a cancelled booking hides them again', async (t) => {
    const b = await newBooking()
    await act(h.app, p.provider.token, b.id, 'accept')
    const asModerator = await get(p.moderator.token, b.id)
    t.equal(asModerator.statusCode, 200)
    t.equal(asModerator.json().contacts, null)
    t.equal((await get(p.stranger.token, b.id)).statusCode, 404)
    const cancelled = await act(h.app, requester.token, b.id, 'cancel')
    t.equal(cancelled.json().status, 'cancelled')
    t.equal(cancelled.json().contacts, null)
  })

  t.test('the public ledger and availability never carry a number', async (t) => {
    for (const url of [
      `/v1/ledger?organizationId=${listing.organizationId}`,
      `/v1/availability/${listing.id}?from=2026-12-01T00:00:00Z&to=2026-12-10T00:00:00Z`,
      `/v1/reputation/organizations/${p.requesterOrg}`,
    ]) {
      const res = await h.app.inject({ method: 'GET', url })
      t.notOk(res.body.includes(PROVIDER_MOBILE) || res.body.includes(REQUESTER_MOBILE), url)
    }
  })
})
