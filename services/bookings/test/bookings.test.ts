import { AvailabilityResponse } from '@commons/contracts'
import t from 'tap'
import { act, bearer, book, feedEventsOf, makeListing, parties, testApp } from './helpers.ts'

// "Now" is Saturday 2026-11-21 08:00 Shanghai; bookings are on Tuesday 2026-12-01 (min notice 24 h).
const NOW = '2026-11-21T00:00:00Z'
const DAY = '2026-12-01'

t.test('availability', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing({ rules: { bufferMinutes: 30 } })
  await h.publish(listing)
  const p = await parties(listing)
  const slots = async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: `/v1/availability/${listing.id}?from=${encodeURIComponent(`${DAY}T00:00:00+08:00`)}&to=${encodeURIComponent(`${DAY}T23:59:00+08:00`)}`,
    })
    t.equal(res.statusCode, 200, res.body)
    return res.json() as { timezone: string; slots: Array<{ start: string; end: string }> }
  }

  t.test('lists the slots of the opening hours in the listing time zone', async (t) => {
    const body = await slots()
    t.equal(body.timezone, 'Asia/Shanghai')
    t.equal(body.slots.length, 9)
    t.equal(body.slots[0]?.start, '2026-12-01T01:00:00.000Z')
  })

  t.test('a booking and its buffer disappear from the slots', async (t) => {
    const res = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: `${DAY}T12:00`,
      end: `${DAY}T13:00`,
    })
    t.equal(res.statusCode, 201, res.body)
    const starts = (await slots()).slots.map((s) => s.start)
    // 11:00-12:00 ends inside the 30-minute buffer, 13:00-14:00 starts inside it: both gone with 12:00.
    t.notOk(starts.includes('2026-12-01T03:00:00.000Z'))
    t.notOk(starts.includes('2026-12-01T04:00:00.000Z'))
    t.notOk(starts.includes('2026-12-01T05:00:00.000Z'))
    t.ok(starts.includes('2026-12-01T02:00:00.000Z'))
    t.ok(starts.includes('2026-12-01T06:00:00.000Z'))
  })

  t.test('include=taken also lists the open slots bookings hold, so a picker can grey them out', async (t) => {
    const window = `from=${encodeURIComponent(`${DAY}T00:00:00+08:00`)}&to=${encodeURIComponent(`${DAY}T23:59:00+08:00`)}`
    const res = await h.app.inject({ method: 'GET', url: `/v1/availability/${listing.id}?${window}&include=taken` })
    t.equal(res.statusCode, 200, res.body)
    const body = res.json() as { slots: Array<{ start: string }>; taken: Array<{ start: string; end: string }> }
    // The 12:00 booking and the slots its buffer touches, in order; none of them is also offered.
    t.same(
      body.taken.map((s) => s.start),
      ['2026-12-01T03:00:00.000Z', '2026-12-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z'],
    )
    t.equal(body.taken[1]?.end, '2026-12-01T05:00:00.000Z')
    t.equal(body.slots.length + body.taken.length, 9, 'offered and taken together are the opening hours')
    const plain = await h.app.inject({ method: 'GET', url: `/v1/availability/${listing.id}?${window}` })
    t.equal(plain.json().taken, undefined, 'not computed unless asked for')
    // The route sends its answer without checking it against the schema (issue 17): both answers must be,
    // byte for byte, what the schema's own encoding gives.
    for (const answer of [res, plain])
      t.equal(
        answer.body,
        JSON.stringify(AvailabilityResponse.encode(answer.json())),
        'the schema encodes it unchanged',
      )
  })

  t.test('an unknown listing is 404; a withdrawn one 409 listing_unavailable', async (t) => {
    const unknown = await h.app.inject({
      method: 'GET',
      url: `/v1/availability/${makeListing().id}?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z`,
    })
    t.equal(unknown.statusCode, 404)
    const other = makeListing()
    await h.publish(other)
    await h.withdraw({ ...other, version: other.version + 1 }, 'paused')
    const res = await h.app.inject({
      method: 'GET',
      url: `/v1/availability/${other.id}?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z`,
    })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'listing_unavailable')
  })
})

t.test('creating a booking', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing({ rules: { bufferMinutes: 15 }, capacity: 30 })
  await h.publish(listing)
  const p = await parties(listing)
  const base = { listingId: listing.id, organizationId: p.requesterOrg }

  t.test('a request is created with a price snapshot and a booking.changed event', async (t) => {
    const res = await book(h.app, p.requester.token, { ...base, start: `${DAY}T09:00`, end: `${DAY}T11:00` })
    t.equal(res.statusCode, 201, res.body)
    const booking = res.json()
    t.equal(booking.status, 'requested')
    t.equal(booking.providerOrganizationId, listing.organizationId)
    t.equal(booking.listingTitle, '社区活动室')
    t.same(booking.price, {
      model: 'free',
      unit: null,
      unitAmount: 0,
      quantity: 1,
      amount: 0,
      deposit: 0,
      currency: 'CNY',
    })
    const ours = await feedEventsOf(h.app, booking.id, 1)
    t.equal(ours.length, 1)
    t.equal(ours[0]?.type, 'booking.changed')
    t.match(ours[0]?.payload.booking, { status: 'requested', holdsSlot: true, bufferMinutes: 15, version: 1 })
  })

  t.test('an overlapping booking, buffer included, is 409 slot_unavailable', async (t) => {
    const res = await book(h.app, p.requester.token, { ...base, start: `${DAY}T11:00`, end: `${DAY}T12:00` })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'slot_unavailable')
  })

  t.test('the database refuses an overlap even when the application check is bypassed', async (t) => {
    const { sql } = await import('kysely')
    const db = h.app.bookings.deps.db
    const row = await db.selectFrom('bookings').selectAll().executeTakeFirstOrThrow()
    const insert = sql`
      insert into bookings (id, listing_id, listing_kind, listing_title, provider_organization_id,
        requester_organization_id, requester_user_id, status, start_at, end_at, buffer_minutes, busy_until,
        attendees, purpose, price, cancellation, payment_provider, payment_status, created_at, updated_at)
      select gen_random_uuid(), listing_id, listing_kind, listing_title, provider_organization_id,
        requester_organization_id, requester_user_id, 'requested', end_at + interval '5 minutes',
        end_at + interval '65 minutes', 0, end_at + interval '65 minutes', attendees, purpose, price,
        cancellation, payment_provider, payment_status, now(), now()
      from bookings where id = ${row.id}`
    await t.rejects(insert.execute(db), { code: '23P01' })
  })

  t.test('same Idempotency-Key and body answer the first response; another body is 422', async (t) => {
    const body = { ...base, start: `${DAY}T14:00`, end: `${DAY}T15:00` }
    const first = await book(h.app, p.requester.token, body, 'same-key')
    const again = await book(h.app, p.requester.token, body, 'same-key')
    t.equal(first.statusCode, 201)
    t.equal(again.statusCode, 201)
    t.equal(again.json().id, first.json().id)
    const other = await book(
      h.app,
      p.requester.token,
      { ...body, start: `${DAY}T16:00`, end: `${DAY}T17:00` },
      'same-key',
    )
    t.equal(other.statusCode, 422)
    t.equal(other.json().code, 'idempotency_key_reused')
  })

  t.test('concurrent requests with one Idempotency-Key create one booking', async (t) => {
    const body = { ...base, start: '2026-12-02T10:00', end: '2026-12-02T11:00' }
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => book(h.app, p.requester.token, body, 'concurrent-key')),
    )
    t.same(
      answers.map((a) => a.statusCode),
      [201, 201, 201, 201, 201],
    )
    t.equal(new Set(answers.map((a) => a.json().id)).size, 1)
  })

  t.test('concurrent requests for one slot: exactly one 201, the rest 409, none 5xx', async (t) => {
    const body = { ...base, start: '2026-12-03T10:00', end: '2026-12-03T12:00' }
    const answers = await Promise.all(Array.from({ length: 20 }, () => book(h.app, p.requester.token, body)))
    const codes = answers.map((a) => a.statusCode).sort()
    t.equal(codes.filter((c) => c === 201).length, 1)
    t.equal(codes.filter((c) => c === 409).length, 19)
  })

  t.test('the caller must belong to the requesting organization', async (t) => {
    const res = await book(h.app, p.stranger.token, { ...base, start: '2026-12-04T10:00', end: '2026-12-04T11:00' })
    t.equal(res.statusCode, 403)
  })

  t.test('without a token it is 401', async (t) => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      payload: {
        ...base,
        start: '2026-12-04T10:00:00+08:00',
        end: '2026-12-04T11:00:00+08:00',
        attendees: 1,
        purpose: 'x',
      },
    })
    t.equal(res.statusCode, 401, res.body)
  })

  t.test('windows that break a rule are 422 outside_availability naming the rule', async (t) => {
    const cases: Array<[string, string, string]> = [
      ['2026-11-21T20:00', '2026-11-21T21:00', 'min_notice'],
      ['2027-03-01T10:00', '2027-03-01T11:00', 'max_advance'],
      ['2026-12-04T17:00', '2026-12-04T19:00', 'outside_hours'],
      ['2026-12-04T10:30', '2026-12-04T11:30', 'not_slot_aligned'],
      ['2026-12-04T09:00', '2026-12-04T14:00', 'too_long'],
    ]
    for (const [start, end, rule] of cases) {
      const res = await book(h.app, p.requester.token, { ...base, start, end })
      t.equal(res.statusCode, 422, rule)
      t.match(res.json(), { code: 'outside_availability', rule }, rule)
    }
  })

  t.test('more attendees than the venue holds is 422 capacity_exceeded', async (t) => {
    const res = await book(h.app, p.requester.token, {
      ...base,
      start: '2026-12-04T10:00',
      end: '2026-12-04T11:00',
      attendees: 31,
    })
    t.equal(res.statusCode, 422)
    t.equal(res.json().code, 'capacity_exceeded')
  })

  t.test('a listing that is not published is 409 listing_unavailable', async (t) => {
    const other = makeListing()
    await h.publish(other)
    await h.withdraw({ ...other, version: 3 }, 'archived')
    const res = await book(h.app, p.requester.token, {
      listingId: other.id,
      organizationId: p.requesterOrg,
      start: '2026-12-04T10:00',
      end: '2026-12-04T11:00',
    })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'listing_unavailable')
  })

  t.test('a replayed older listing event does not roll the replica back', async (t) => {
    const other = makeListing()
    await h.publish({ ...other, version: 5 })
    await h.withdraw({ ...other, version: 4 }, 'paused')
    const res = await book(h.app, p.requester.token, {
      listingId: other.id,
      organizationId: p.requesterOrg,
      start: '2026-12-04T10:00',
      end: '2026-12-04T11:00',
    })
    t.equal(res.statusCode, 201, res.body)
  })
})

t.test('reading bookings', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing()
  await h.publish(listing)
  const p = await parties(listing)
  const ids: string[] = []
  for (const hour of [9, 11, 13]) {
    const res = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: `${DAY}T${String(hour).padStart(2, '0')}:00`,
      end: `${DAY}T${String(hour + 1).padStart(2, '0')}:00`,
    })
    t.equal(res.statusCode, 201, res.body)
    ids.push(res.json().id)
  }

  t.test('participants and moderators see a booking; others get 404', async (t) => {
    for (const token of [p.requester.token, p.provider.token, p.moderator.token]) {
      const res = await h.app.inject({ method: 'GET', url: `/v1/bookings/${ids[0]}`, headers: bearer(token) })
      t.equal(res.statusCode, 200, res.body)
    }
    const res = await h.app.inject({ method: 'GET', url: `/v1/bookings/${ids[0]}`, headers: bearer(p.stranger.token) })
    t.equal(res.statusCode, 404)
  })

  t.test('lists as provider and as requester, paged by cursor, filtered by status', async (t) => {
    const first = await h.app.inject({
      method: 'GET',
      url: `/v1/bookings?as=provider&organizationId=${listing.organizationId}&limit=2`,
      headers: bearer(p.provider.token),
    })
    t.equal(first.statusCode, 200)
    t.same(
      first.json().items.map((b: { id: string }) => b.id),
      [ids[2], ids[1]],
    )
    const second = await h.app.inject({
      method: 'GET',
      url: `/v1/bookings?as=provider&organizationId=${listing.organizationId}&limit=2&cursor=${first.json().nextCursor}`,
      headers: bearer(p.provider.token),
    })
    t.same(
      second.json().items.map((b: { id: string }) => b.id),
      [ids[0]],
    )
    t.equal(second.json().nextCursor, null)
    await act(h.app, p.provider.token, ids[0]!, 'accept')
    const confirmed = await h.app.inject({
      method: 'GET',
      url: `/v1/bookings?as=requester&organizationId=${p.requesterOrg}&status=confirmed`,
      headers: bearer(p.requester.token),
    })
    t.same(
      confirmed.json().items.map((b: { id: string }) => b.id),
      [ids[0]],
    )
    const foreign = await h.app.inject({
      method: 'GET',
      url: `/v1/bookings?as=requester&organizationId=${p.requesterOrg}`,
      headers: bearer(p.stranger.token),
    })
    t.equal(foreign.statusCode, 403)
  })
})

t.test('a booking keeps the listing title it was made under', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing()
  await h.publish(listing)
  const p = await parties(listing)
  const base = { listingId: listing.id, organizationId: p.requesterOrg }
  const before = await book(h.app, p.requester.token, { ...base, start: `${DAY}T09:00`, end: `${DAY}T10:00` }, 'k1')
  t.equal(before.json().listingTitle, '社区活动室')
  await h.publish({ ...listing, title: '社区多功能厅', version: listing.version + 1 })
  const after = await book(h.app, p.requester.token, { ...base, start: `${DAY}T11:00`, end: `${DAY}T12:00` })
  t.equal(after.json().listingTitle, '社区多功能厅', 'a new booking takes the new title')

  const get = (url: string) => h.app.inject({ method: 'GET', url, headers: bearer(p.provider.token) })
  t.equal(
    (await get(`/v1/bookings/${before.json().id}`)).json().listingTitle,
    '社区活动室',
    'the rename does not reach it',
  )
  const listed = (await get(`/v1/bookings?as=provider&organizationId=${listing.organizationId}`)).json()
  t.same(
    listed.items.map((b: { listingTitle: string }) => b.listingTitle),
    ['社区多功能厅', '社区活动室'],
  )
  const accepted = await act(h.app, p.provider.token, before.json().id, 'accept')
  t.equal(accepted.json().listingTitle, '社区活动室', 'transitions answer it too')
  const replay = await book(h.app, p.requester.token, { ...base, start: `${DAY}T09:00`, end: `${DAY}T10:00` }, 'k1')
  t.equal(replay.json().listingTitle, '社区活动室', 'an idempotent replay answers it too')
})

t.test('both the exclusion violation and a deadlock between conflicting inserts mean slot_unavailable', async (t) => {
  const { sql } = await import('kysely')
  const { slotProblem } = await import('../src/bookings/create-booking.ts')
  const h = await testApp(t, { now: NOW })
  const db = h.app.bookings.deps.db
  const listingId = makeListing().id
  const insert = (trx: typeof db, startHour: number) =>
    sql`
      insert into bookings (id, listing_id, listing_kind, listing_title, provider_organization_id,
        requester_organization_id, requester_user_id, status, start_at, end_at, buffer_minutes, busy_until,
        attendees, purpose, price, cancellation, payment_provider, payment_status, created_at, updated_at)
      values (gen_random_uuid(), ${listingId}, 'venue', 'x', gen_random_uuid(), gen_random_uuid(), gen_random_uuid(),
        'requested', ${`2026-12-10T${startHour}:00:00Z`}::timestamptz, ${`2026-12-10T${startHour + 1}:00:00Z`}::timestamptz,
        0, ${`2026-12-10T${startHour + 1}:00:00Z`}::timestamptz, 1, 'x', '{}', '{"policy":"flexible"}', 'offline', 'none',
        now(), now())`.execute(trx)
  // Each transaction holds one range, then asks for the other's: Postgres breaks the cycle with 40P01.
  const first = db.startTransaction().execute()
  const second = db.startTransaction().execute()
  const [a, b] = await Promise.all([first, second])
  await insert(a, 10)
  await insert(b, 12)
  const outcomes = await Promise.allSettled([insert(a, 12), insert(b, 10)])
  const failure = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult
  await Promise.allSettled([a.rollback().execute(), b.rollback().execute()])
  t.ok(failure, 'one of them fails')
  const codes = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'ok'))
  t.ok(codes.includes('40P01'), `a deadlock was detected (${codes.join(', ')})`)
  t.match(slotProblem(failure.reason), { status: 409, code: 'slot_unavailable' })

  const done = await db.transaction().execute(async (trx) => {
    await insert(trx, 15)
    return 'ok'
  })
  t.equal(done, 'ok')
  const violation = await insert(db, 15).catch((e: unknown) => e)
  t.match(slotProblem(violation), { status: 409, code: 'slot_unavailable' })
  t.equal(slotProblem(new Error('other')), undefined)
})
