import { randomUUID } from 'node:crypto'
import t from 'tap'
import { startTestStack } from '../lib/test-stack.ts'

/**
 * The end-to-end journey through the public entry point, every service a process of its own: register,
 * organize, list, approve, find by a Chinese query, book, accept, complete, rate from both sides, and see
 * the rating published, the reputation in search hits, the ledger, and volunteer time credits.
 */
t.test('from listing to ratings, reputation, ledger and time credits, through the public entry point', async (t) => {
  const stack = await startTestStack(t)
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  type Json = Record<string, any>
  const call = stack.call
  const expectStatus = (res: { status: number; body: Json }, status: number, what: string) => {
    if (res.status !== status)
      throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  const register = (email: string, displayName: string) =>
    stack.signUp({ email, password: 'correct horse battery', displayName })

  // Two organizations and a moderator.
  const provider = await register('provider@example.org', '张主任')
  const requester = await register('requester@example.org', '李书记')
  await register('moderator@example.org', '王审核')
  stack.grantModerator('moderator@example.org')
  const moderator = expectStatus(
    await call('POST', '/v1/auth/login', {
      body: { email: 'moderator@example.org', password: 'correct horse battery' },
    }),
    200,
    'moderator login',
  )
  t.equal(moderator.user.moderator, true)

  const providerOrg = expectStatus(
    await call('POST', '/v1/organizations', {
      token: provider.accessToken,
      body: { name: '花木街道党群服务中心', kind: 'party_branch', district: '浦东新区', city: '上海' },
    }),
    201,
    'create provider organization',
  )
  const requesterOrg = expectStatus(
    await call('POST', '/v1/organizations', {
      token: requester.accessToken,
      body: { name: '联洋社区青年志愿者协会', kind: 'youth_league', district: '浦东新区', city: '上海' },
    }),
    201,
    'create requester organization',
  )

  // A venue, open every day, reviewed by the moderator.
  const allDay = [{ start: '08:00', end: '22:00' }]
  const listing = expectStatus(
    await call('POST', `/v1/organizations/${providerOrg.organization.id}/listings`, {
      token: providerOrg.accessToken,
      body: {
        kind: 'venue',
        title: '党群服务中心多功能会议室',
        description: '可容纳 40 人的会议室，配投影和白板，适合社区议事会和培训。',
        tags: ['会议', '培训'],
        location: { city: '上海', district: '浦东新区', address: '花木路 1000 号', lat: 31.2152, lng: 121.5448 },
        capacity: 40,
        amenities: ['projector', 'whiteboard', 'wifi'],
        rules: { mode: 'request', slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 240, minNoticeHours: 1 },
        availability: {
          timezone: 'Asia/Shanghai',
          weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
        },
      },
    }),
    201,
    'create listing',
  )
  t.equal(listing.status, 'draft')
  const submitted = expectStatus(
    await call('POST', `/v1/listings/${listing.id}/submit`, { token: providerOrg.accessToken }),
    200,
    'submit',
  )
  t.equal(submitted.status, 'pending_review')
  const approved = expectStatus(
    await call('POST', `/v1/moderation/listings/${listing.id}/approve`, { token: moderator.accessToken }),
    200,
    'approve',
  )
  t.equal(approved.status, 'published')

  // Discovery indexes it from the listings feed; a Chinese query finds it through the entry point.
  let hit: Json | undefined
  for (let i = 0; i < 60 && !hit; i++) {
    const search = await call('GET', `/v1/search?q=${encodeURIComponent('会议室')}`)
    hit = search.body.hits?.find((h: Json) => h.id === listing.id)
    if (!hit) await new Promise((r) => setTimeout(r, 250))
  }
  t.ok(hit, 'the listing is found by 会议室')
  t.equal(hit?.organization?.name, '花木街道党群服务中心')

  // The requester sees slots (bookings has the listing from the feed) and books one.
  const from = new Date(Date.now() + 26 * 3600_000)
  const to = new Date(from.getTime() + 3 * 86_400_000)
  let slots: Json[] = []
  for (let i = 0; i < 60 && slots.length === 0; i++) {
    const availability = await call(
      'GET',
      `/v1/availability/${listing.id}?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
    )
    slots = availability.status === 200 ? availability.body.slots : []
    if (slots.length === 0) await new Promise((r) => setTimeout(r, 250))
  }
  t.ok(slots.length > 0, 'slots are offered')
  const slot = slots[0]!
  const bookingBody = {
    listingId: listing.id,
    organizationId: requesterOrg.organization.id,
    start: slot.start,
    end: slot.end,
    attendees: 25,
    purpose: '社区议事会',
  }
  const key = randomUUID()
  const booked = expectStatus(
    await call('POST', '/v1/bookings', {
      token: requesterOrg.accessToken,
      body: bookingBody,
      headers: { 'idempotency-key': key },
    }),
    201,
    'book',
  )
  t.equal(booked.status, 'requested')
  const again = await call('POST', '/v1/bookings', {
    token: requesterOrg.accessToken,
    body: bookingBody,
    headers: { 'idempotency-key': key },
  })
  t.equal(again.body.id, booked.id, 'the same Idempotency-Key books once')
  const clash = await call('POST', '/v1/bookings', {
    token: requesterOrg.accessToken,
    body: bookingBody,
    headers: { 'idempotency-key': randomUUID() },
  })
  t.equal(clash.status, 409)
  t.equal(clash.body.code, 'slot_unavailable')

  const accepted = expectStatus(
    await call('POST', `/v1/bookings/${booked.id}/accept`, { token: providerOrg.accessToken, body: {} }),
    200,
    'accept',
  )
  t.equal(accepted.status, 'confirmed')
  await stack.beginBooking(booked.id)
  const completed = expectStatus(
    await call('POST', `/v1/bookings/${booked.id}/complete`, {
      token: moderator.accessToken,
      body: { reason: '活动已结束' },
    }),
    200,
    'complete',
  )
  t.equal(completed.status, 'completed')

  // Both sides rate; the ratings stay hidden until both have rated, then publish together.
  const requesterRating = expectStatus(
    await call('POST', `/v1/bookings/${booked.id}/ratings`, {
      token: requesterOrg.accessToken,
      body: { score: 5, comment: '场地整洁，投影好用，工作人员很热情。' },
    }),
    201,
    'requester rates',
  )
  t.not(requesterRating.publishedAt, undefined)
  const hidden = expectStatus(
    await call('GET', `/v1/bookings/${booked.id}/ratings`, { token: providerOrg.accessToken }),
    200,
    'provider reads ratings',
  )
  t.equal(hidden.ratings.length, 0, 'the provider cannot see the rating before rating back')
  t.equal(hidden.otherSideRated, true)
  expectStatus(
    await call('POST', `/v1/bookings/${booked.id}/ratings`, {
      token: providerOrg.accessToken,
      body: { score: 4, comment: '准时到场，用后整理干净。' },
    }),
    201,
    'provider rates',
  )
  const published = expectStatus(
    await call('GET', `/v1/bookings/${booked.id}/ratings`, { token: requesterOrg.accessToken }),
    200,
    'requester reads ratings',
  )
  t.equal(published.window.state, 'published')
  t.equal(published.ratings.length, 2, 'both ratings are published together')
  const twice = await call('POST', `/v1/bookings/${booked.id}/ratings`, {
    token: requesterOrg.accessToken,
    body: { score: 1 },
  })
  t.equal(twice.status, 409, 'a side rates once')
  const publicRatings = expectStatus(await call('GET', `/v1/ratings?listingId=${listing.id}`), 200, 'listing ratings')
  t.equal(publicRatings.items.length, 1)
  t.equal(publicRatings.items[0].score, 5)

  const reputation = expectStatus(await call('GET', `/v1/reputation/listings/${listing.id}`), 200, 'reputation')
  t.equal(reputation.reputation.count, 1)
  t.ok(reputation.reputation.average < 5, 'one 5-star rating is pulled toward the prior')

  // Discovery learns the reputation from the bookings feed and shows it on the hit.
  let rated: Json | undefined
  for (let i = 0; i < 80 && !rated; i++) {
    const search = await call('GET', `/v1/search?q=${encodeURIComponent('会议室')}`)
    rated = search.body.hits?.find((h: Json) => h.id === listing.id && h.rating?.count === 1)
    if (!rated) await new Promise((r) => setTimeout(r, 250))
  }
  t.ok(rated, 'the search hit carries the rating')
  t.ok(Math.abs(rated?.rating.average - reputation.reputation.average) < 0.01, 'the same Bayesian average')

  // The open ledger counts the completed booking; it names no person.
  const ledger = expectStatus(
    await call('GET', `/v1/ledger/organizations/${providerOrg.organization.id}`),
    200,
    'organization ledger',
  )
  const month = ledger.months.find((m: Json) => m.completedBookings > 0)
  t.equal(month?.completedBookings, 1)
  t.equal(month?.groupsServed, 1)
  t.equal(month?.attendees, 25)
  const csv = await fetch(`${stack.base}/v1/ledger?format=csv`)
  const csvText = await csv.text()
  t.match(csv.headers.get('content-type'), /text\/csv/)
  t.notMatch(csvText, /requester@example\.org|李书记|社区议事会/)

  // Volunteer time: once the provider is verified, its listing publishes on submit; a completed booking
  // credits the hours in the time-credit ledger.
  expectStatus(
    await call('POST', `/v1/moderation/organizations/${providerOrg.organization.id}/verify`, {
      token: moderator.accessToken,
    }),
    200,
    'verify provider',
  )
  const volunteer = expectStatus(
    await call('POST', `/v1/organizations/${providerOrg.organization.id}/listings`, {
      token: providerOrg.accessToken,
      body: {
        kind: 'volunteer_time',
        title: '社区助老志愿服务',
        description: '为独居老人上门陪伴、代购和读报。',
        skills: ['助老', '陪伴'],
        location: { city: '上海', district: '浦东新区' },
        rules: { mode: 'request', slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 180, minNoticeHours: 1 },
        availability: {
          timezone: 'Asia/Shanghai',
          weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
        },
      },
    }),
    201,
    'create volunteer listing',
  )
  const live = expectStatus(
    await call('POST', `/v1/listings/${volunteer.id}/submit`, { token: providerOrg.accessToken }),
    200,
    'submit volunteer listing',
  )
  t.equal(live.status, 'published', 'a verified organization publishes directly')
  let volunteerSlots: Json[] = []
  for (let i = 0; i < 60 && volunteerSlots.length === 0; i++) {
    const availability = await call(
      'GET',
      `/v1/availability/${volunteer.id}?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
    )
    volunteerSlots = availability.status === 200 ? availability.body.slots : []
    if (volunteerSlots.length === 0) await new Promise((r) => setTimeout(r, 250))
  }
  // Two hours back to back: the first two slots are not when the window starts in a day's last open hour.
  const pair = volunteerSlots.findIndex((slot, i) => volunteerSlots[i + 1]?.start === slot.end)
  t.ok(pair >= 0, 'two adjacent volunteer slots in the window')
  const help = expectStatus(
    await call('POST', '/v1/bookings', {
      token: requesterOrg.accessToken,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        listingId: volunteer.id,
        organizationId: requesterOrg.organization.id,
        start: volunteerSlots[pair]!.start,
        end: volunteerSlots[pair + 1]!.end,
        attendees: 1,
        purpose: '陪伴独居老人',
      },
    }),
    201,
    'book volunteer time',
  )
  expectStatus(
    await call('POST', `/v1/bookings/${help.id}/accept`, { token: providerOrg.accessToken, body: {} }),
    200,
    'accept',
  )
  await stack.beginBooking(help.id)
  expectStatus(
    await call('POST', `/v1/bookings/${help.id}/complete`, {
      token: moderator.accessToken,
      body: { reason: '服务完成' },
    }),
    200,
    'complete volunteer booking',
  )
  let credits: Json = {}
  for (let i = 0; i < 80 && !(credits.givenHours > 0); i++) {
    credits = (await call('GET', `/v1/time-credits/organizations/${providerOrg.organization.id}`)).body
    if (!(credits.givenHours > 0)) await new Promise((r) => setTimeout(r, 250))
  }
  t.equal(credits.givenHours, 2, 'two hours of volunteer time are credited to the provider')
  const received = expectStatus(
    await call('GET', `/v1/time-credits/organizations/${requesterOrg.organization.id}`),
    200,
    'requester credits',
  )
  t.equal(received.receivedHours, 2)
  t.equal(credits.balanceHours + received.balanceHours, 0, 'the double entry sums to zero')
})
