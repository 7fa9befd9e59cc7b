import { randomUUID } from 'node:crypto'
import { BOOKINGS_EVENTS, LISTINGS_EVENTS, Listing, type ListingKind } from '@commons/contracts'
import t from 'tap'
import { type Harness, person, testApp } from './helpers.ts'
import { surveyBody } from './survey-fixtures.ts'

const NOW = '2026-12-01T00:00:00Z'

const organization = (h: Harness, id: string, name: string, district = '浦东新区') =>
  h.emitListings({
    type: LISTINGS_EVENTS.organizationUpdated,
    entityId: id,
    version: 1,
    payload: {
      organization: {
        id,
        name,
        kind: 'party_branch',
        district,
        city: '上海',
        description: '',
        verified: true,
        version: 1,
        createdAt: '2026-11-01T00:00:00Z',
        updatedAt: '2026-11-01T00:00:00Z',
      },
    },
  })

const link = (h: Harness, child: string, parent: string | null, version = 2) =>
  h.emitListings({
    type: LISTINGS_EVENTS.organizationParentChanged,
    entityId: child,
    version,
    payload: { organizationId: child, parentId: parent, version },
  })

const listing = (h: Harness, organizationId: string, kind: 'venue' | 'expertise', district: string) => {
  const id = randomUUID()
  const common = {
    id,
    organizationId,
    title: '共享资源',
    description: '',
    tags: [],
    status: 'published',
    version: 2,
    rejectionReason: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    publishedAt: '2026-11-01T00:00:00Z',
  }
  const fields =
    kind === 'venue'
      ? {
          kind,
          location: { city: '上海', district, address: '某路 1 号', lat: 31.2, lng: 121.5 },
          capacity: 40,
          availability: { timezone: 'Asia/Shanghai', weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
        }
      : { kind, location: { city: '上海', district }, topics: ['培训'], formats: ['talk'], delivery: 'online' }
  return h.emitListings({
    type: LISTINGS_EVENTS.listingPublished,
    entityId: id,
    version: 2,
    payload: {
      listing: Listing.parse({ ...common, ...fields }),
      organization: { id: organizationId, name: '某组织', kind: 'party_branch', verified: true },
    },
  })
}

const need = async (h: Harness, organizationId: string, kind: ListingKind, district: string, createdAt: string) => {
  const id = randomUUID()
  await h.emitListings({
    type: LISTINGS_EVENTS.needOpened,
    entityId: id,
    version: 1,
    payload: {
      need: {
        id,
        organizationId,
        kind,
        title: '需要资源',
        description: '',
        tags: [],
        city: '上海',
        district,
        window: { start: '2026-12-10T01:00:00Z', end: '2026-12-20T10:00:00Z' },
        status: 'open',
        version: 1,
        createdAt,
        updatedAt: createdAt,
      },
    },
  })
  return id
}

t.test("a parent's overview across the organizations below it", async (t) => {
  const h = await testApp(t, { now: NOW, env: { SURVEY_CHALLENGE_BITS: '4' } })
  const [street, community, branch, outsider] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
  await organization(h, street, '某街道党工委')
  await organization(h, community, '某社区党委')
  await organization(h, branch, '某支部')
  await organization(h, outsider, '别处的组织')
  await link(h, community, street)
  await link(h, branch, community)
  await link(h, outsider, street, 2)
  await link(h, outsider, null, 3)

  // Supply: a venue in Pudong (by the community), an expertise listing in Huangpu (by an outsider).
  await listing(h, community, 'venue', '浦东新区')
  await listing(h, outsider, 'expertise', '黄浦区')
  // Demand: open needs of the hierarchy, one closed, one of the outsider (not counted).
  await need(h, branch, 'expertise', '浦东新区', '2026-11-21T00:00:00Z') // unmet: no expertise in Pudong
  await need(h, community, 'venue', '浦东新区', '2026-11-29T00:00:00Z') // met by the venue
  await need(h, branch, 'venue', '静安区', '2026-11-30T00:00:00Z') // unmet
  const closed = await need(h, branch, 'volunteer_time', '静安区', '2026-11-25T00:00:00Z')
  await h.emitListings({
    type: LISTINGS_EVENTS.needClosed,
    entityId: closed,
    version: 2,
    payload: { needId: closed, status: 'closed', version: 2 },
  })
  await need(h, outsider, 'volunteer_time', '黄浦区', '2026-11-20T00:00:00Z')
  // Use: a completed booking the community provided (3 h).
  await h.emitBookings({
    type: BOOKINGS_EVENTS.bookingChanged,
    entityId: randomUUID(),
    version: 4,
    payload: {
      booking: {
        id: randomUUID(),
        listingId: randomUUID(),
        listingKind: 'venue',
        providerOrganizationId: community,
        requesterOrganizationId: outsider,
        requesterUserId: randomUUID(),
        status: 'completed',
        holdsSlot: true,
        start: '2026-11-25T01:00:00Z',
        end: '2026-11-25T04:00:00Z',
        bufferMinutes: 0,
        attendees: 10,
        version: 4,
      },
    },
  })
  // Survey demand: the branch's survey; 6 respondents in Huangpu ask for expertise (legal advice), 2 in Pudong
  // for a room.
  const branchAdmin = await person({ roles: { [branch]: 'admin' } })
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/surveys',
    headers: branchAdmin.headers,
    payload: surveyBody(branch),
  })
  const surveyId = created.json().id
  await h.app.inject({
    method: 'POST',
    url: `/v1/surveys/${surveyId}/publish`,
    headers: branchAdmin.headers,
    payload: { closesAt: '2026-12-31T00:00:00Z' },
  })
  const enter = (answers: object) =>
    h.app.inject({
      method: 'POST',
      url: `/v1/surveys/${surveyId}/responses`,
      headers: branchAdmin.headers,
      payload: { answers, onBehalf: true },
    })
  for (let i = 0; i < 6; i++) await enter({ group: 'youth', district: 'hp', wants: ['law', 'phone'] })
  for (let i = 0; i < 2; i++) await enter({ group: 'elderly', district: 'pd', wants: ['room'] })

  const overview = (who?: { headers: Record<string, string> }) =>
    h.app.inject({ method: 'GET', url: `/v1/overview/organizations/${street}`, headers: who?.headers ?? {} })

  t.test('a stranger, a plain member and an anonymous caller get 404', async (t) => {
    for (const who of [
      await person({ roles: { [outsider]: 'owner' } }),
      await person({ roles: { [street]: 'member' } }),
      undefined,
    ]) {
      const res = await overview(who)
      t.equal(res.statusCode, 404)
      t.equal(res.json().code, 'organization_not_found')
    }
  })

  t.test("the parent's admin sees its children's figures", async (t) => {
    const res = await overview(await person({ roles: { [street]: 'admin' } }))
    t.equal(res.statusCode, 200, res.body)
    const o = res.json()
    t.same(
      o.organizations.map((x: { name: string; depth: number }) => [x.name, x.depth]),
      [
        ['某街道党工委', 0],
        ['某社区党委', 1],
        ['某支部', 2],
      ],
      'an ended link no longer counts',
    )
    t.same(o.listings.byKind, { venue: 1, expertise: 0, volunteer_time: 0 })
    t.same(o.bookings, { completedAsProvider: 1, hoursShared: 3, completedAsRequester: 0, hoursUsed: 0 })
    t.same(o.needs.byKind, { venue: 2, expertise: 1, volunteer_time: 0 })
    t.equal(o.needs.open, 3)
    t.equal(o.needs.longestWaitDays, 10)
    t.equal(o.needs.averageWaitDays, 4.3, '(10 + 2 + 1) / 3 days')
    t.same(o.surveyDemand, [
      { category: 'venue', district: '浦东新区', answers: null },
      { category: 'expertise', district: '黄浦区', answers: 6 },
    ])
  })

  t.test('the unmet-demand table is right on the fixture', async (t) => {
    const o = (await overview(await person({ roles: { [street]: 'owner' } }))).json()
    t.same(o.unmetDemand, [
      { district: '浦东新区', category: 'expertise', openNeeds: 1, surveyDemand: 0, listings: 0, unmet: true },
      { district: '静安区', category: 'venue', openNeeds: 1, surveyDemand: 0, listings: 0, unmet: true },
      { district: '黄浦区', category: 'expertise', openNeeds: 0, surveyDemand: 6, listings: 1, unmet: false },
      { district: '浦东新区', category: 'venue', openNeeds: 1, surveyDemand: null, listings: 1, unmet: false },
    ])
  })

  t.test("a child's admin sees only its own part of the tree", async (t) => {
    const res = await h.app.inject({
      method: 'GET',
      url: `/v1/overview/organizations/${community}`,
      headers: (await person({ roles: { [community]: 'admin' } })).headers,
    })
    t.same(
      res.json().organizations.map((x: { name: string }) => x.name),
      ['某社区党委', '某支部'],
    )
  })
})
