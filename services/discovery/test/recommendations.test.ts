import { newId } from '@commons/db'
import t from 'tap'
import { bearer, bookingChanged, listing, publish, testApp } from './helpers.ts'

t.test('recommendations and members history', async (t) => {
  const h = await testApp(t)
  const member = newId()
  const ownOrg = newId()
  const token = await h.signer.token({ sub: member, orgs: { [ownOrg]: 'member' } })
  const auth = bearer(token)

  const lawTalk = listing({
    kind: 'expertise',
    title: '劳动法讲座',
    tags: ['法律'],
    topics: ['劳动法'],
    formats: ['talk'],
    delivery: 'online',
    location: { city: '上海', district: '徐汇区' },
  })
  const lawAdvice = listing({
    kind: 'expertise',
    title: '租房法律咨询',
    tags: ['法律'],
    topics: ['租房'],
    formats: ['consultation'],
    delivery: 'online',
    location: { city: '上海', district: '徐汇区' },
  })
  const ownLaw = listing({
    organizationId: ownOrg,
    kind: 'expertise',
    title: '本组织的法律讲座',
    tags: ['法律'],
    topics: ['合同'],
    formats: ['talk'],
    delivery: 'online',
    location: { city: '上海', district: '徐汇区' },
  })
  const venues = Array.from({ length: 3 }, (_, i) =>
    listing({
      title: `普通场地${i}`,
      location: { city: '上海', district: '宝山区', address: '路', lat: 31.4, lng: 121.4 },
    }),
  )
  for (const l of [lawTalk, lawAdvice, ownLaw, ...venues]) await publish(h.listingsDb, l)
  await h.sync()

  t.test('needs a signed-in member', async (t) => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/recommendations' })
    t.equal(res.statusCode, 401)
    const view = await h.app.inject({ method: 'POST', url: '/v1/views', payload: { listingId: lawTalk.id } })
    t.equal(view.statusCode, 401)
  })

  t.test('views build a profile; recommendations follow it and leave out own organizations', async (t) => {
    for (let i = 0; i < 2; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/views',
        headers: auth,
        payload: { listingId: lawTalk.id },
      })
      t.equal(res.statusCode, 204)
    }
    const history = await h.app.inject({ method: 'GET', url: '/v1/views', headers: auth })
    t.equal(history.json().views.length, 2)
    t.same(history.json().profile.kinds, { expertise: 2 })
    t.equal(history.json().profile.tags.法律, 2)

    const res = await h.app.inject({ method: 'GET', url: '/v1/recommendations', headers: auth })
    t.equal(res.statusCode, 200, res.body)
    const body = res.json()
    t.equal(body.personalised, true)
    t.same(body.basedOn.kinds, ['expertise'])
    const ids = body.items.map((i: { id: string }) => i.id)
    t.ok(ids.indexOf(lawAdvice.id) >= 0 && ids.indexOf(lawAdvice.id) < 2, 'the other law listing ranks at the top')
    t.notOk(ids.includes(ownLaw.id), 'own organization left out')
    t.notOk(
      ids.some((id: string) => venues.some((v) => v.id === id)),
      'unrelated venues are not recommended',
    )
  })

  t.test('bookings weigh in, and booked listings are not recommended again', async (t) => {
    await bookingChanged(h.bookingsDb, {
      id: newId(),
      listingId: venues[0]!.id,
      listingKind: 'venue',
      providerOrganizationId: venues[0]!.organizationId,
      requesterOrganizationId: ownOrg,
      requesterUserId: member,
      status: 'confirmed',
      holdsSlot: true,
      start: new Date(Date.now() + 86_400_000).toISOString(),
      end: new Date(Date.now() + 90_000_000).toISOString(),
      bufferMinutes: 0,
      attendees: 5,
      version: 1,
    })
    await h.sync()
    const history = await h.app.inject({ method: 'GET', url: '/v1/views', headers: auth })
    t.equal(history.json().bookings.length, 1)
    t.equal(history.json().profile.kinds.venue, 3)
    const res = await h.app.inject({ method: 'GET', url: '/v1/recommendations', headers: auth })
    const ids = res.json().items.map((i: { id: string }) => i.id)
    t.notOk(ids.includes(venues[0]!.id), 'already booked')
    t.ok(ids.includes(venues[1]!.id), 'similar venues now show up')
  })

  t.test('clearing the history and switching it off', async (t) => {
    const cleared = await h.app.inject({ method: 'DELETE', url: '/v1/views', headers: auth })
    t.equal(cleared.statusCode, 204)
    const history = await h.app.inject({ method: 'GET', url: '/v1/views', headers: auth })
    t.same(history.json().views, [])
    t.same(history.json().bookings, [], 'earlier bookings are left out')
    const plain = await h.app.inject({ method: 'GET', url: '/v1/recommendations', headers: auth })
    t.equal(plain.json().personalised, false)
    t.notOk(plain.json().items.some((i: { id: string }) => i.id === ownLaw.id))

    const off = await h.app.inject({
      method: 'PUT',
      url: '/v1/recommendations/settings',
      headers: auth,
      payload: { personalised: false },
    })
    t.equal(off.statusCode, 200)
    await h.app.inject({ method: 'POST', url: '/v1/views', headers: auth, payload: { listingId: lawTalk.id } })
    const after = await h.app.inject({ method: 'GET', url: '/v1/views', headers: auth })
    t.equal(after.json().personalised, false)
    t.same(after.json().views, [], 'views are not recorded while switched off')
    const bad = await h.app.inject({
      method: 'PUT',
      url: '/v1/recommendations/settings',
      headers: auth,
      payload: { personalised: 'no', extra: 1 },
    })
    t.equal(bad.statusCode, 400)
  })
})
