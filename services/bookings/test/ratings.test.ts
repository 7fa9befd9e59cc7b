import { BOOKINGS_EVENTS } from '@commons/contracts'
import { sql } from 'kysely'
import t from 'tap'
import { bearer, tokenFor } from './helpers.ts'
import { ratingsSetup, violatedConstraint } from './ratings-support.ts'

const DAY = 86_400_000

t.test('ratings', async (t) => {
  const s = await ratingsSetup(t)
  const { h, p, rate, get } = s

  t.test('a booking is rated only once it has completed', async (t) => {
    const b = await s.bookingIn('confirmed')
    const res = await rate(p.requester.token, b.id, { score: 5 })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'booking_not_completed')
    const noShow = await s.bookingIn('no_show')
    const late = await rate(p.provider.token, noShow.id, { score: 1 })
    t.equal(late.json().code, 'booking_not_completed')
  })

  t.test(
    'a stranger cannot rate (404, the booking is private); a plain member of the provider cannot (403)',
    async (t) => {
      const b = await s.bookingIn('completed')
      const stranger = await rate(p.stranger.token, b.id, { score: 1 })
      t.equal(stranger.statusCode, 404)
      const member = await tokenFor({ roles: { [s.listing.organizationId]: 'member' } })
      const res = await rate(member, b.id, { score: 1 })
      t.equal(res.statusCode, 403)
      t.equal(res.json().code, 'not_a_party')
      t.equal((await get(`/v1/bookings/${b.id}/ratings`, p.stranger.token)).statusCode, 404)
    },
  )

  t.test('double-blind: hidden until the other side rates, then both publish together', async (t) => {
    const b = await s.bookingIn('completed')
    const first = await rate(p.requester.token, b.id, {
      score: 4,
      comment: '场地干净,管理员很热情',
      dimensions: { cleanliness: 5, accuracy: 4 },
    })
    t.equal(first.statusCode, 201, first.body)
    t.equal(first.json().publishedAt, null)
    t.equal(first.json().side, 'requester')

    const providerView = (await get(`/v1/bookings/${b.id}/ratings`, p.provider.token)).json()
    t.same(providerView.ratings, [], 'the provider cannot read the hidden rating')
    t.equal(providerView.otherSideRated, true)
    t.equal(providerView.window.state, 'open')
    const ownView = (await get(`/v1/bookings/${b.id}/ratings`, p.requester.token)).json()
    t.equal(ownView.ratings.length, 1, 'the rater sees their own rating')
    const publicList = (await get(`/v1/ratings?listingId=${s.listing.id}`)).json()
    t.notOk(
      publicList.items.some((r: { id: string }) => r.id === first.json().id),
      'not listed while hidden',
    )

    const second = await rate(p.provider.token, b.id, { score: 5, dimensions: { punctuality: 5, care: 5 } })
    t.equal(second.statusCode, 201, second.body)
    t.not(second.json().publishedAt, null)
    const both = (await get(`/v1/bookings/${b.id}/ratings`, p.provider.token)).json()
    t.equal(both.ratings.length, 2)
    t.equal(both.window.state, 'published')
    t.equal(both.ratings[0].publishedAt, both.ratings[1].publishedAt, 'published at the same instant')
    const listed = (await get(`/v1/ratings?listingId=${s.listing.id}`)).json()
    const mine = listed.items.find((r: { id: string }) => r.id === first.json().id)
    t.ok(mine, 'listed once published')
    // Issue 13: the public list ties no score to a booking or a person.
    t.notOk('bookingId' in mine || 'rateeMemberId' in mine, 'no booking or member ids in public')
    const member = (await get(`/v1/ratings?memberId=${p.requester.userId}`, p.requester.token)).json()
    t.ok(
      member.items.some((r: { id: string }) => r.id === second.json().id),
      'the member sees ratings of them',
    )
    t.equal((await get(`/v1/ratings?memberId=${p.requester.userId}`)).statusCode, 401, 'not anonymously')
    const stranger = await get(`/v1/ratings?memberId=${p.requester.userId}`, p.stranger.token)
    const strangerItems = stranger.statusCode === 200 ? stranger.json().items : []
    t.same(strangerItems, [], 'nor by admins of groups that never rated them')
    const rater = (await get(`/v1/ratings?memberId=${p.requester.userId}`, p.provider.token)).json()
    t.ok(
      rater.items.some((r: { id: string }) => r.id === second.json().id),
      'the admins who rated them do',
    )
  })

  t.test('both sides rating at the same moment (and the consumer) still publish together', async (t) => {
    // With the completion consumer opening the same window at the same time.
    for (let i = 0; i < 6; i++) {
      const b = await s.bookingIn('completed')
      const [a, c] = await Promise.all([
        rate(p.requester.token, b.id, { score: 4 }),
        rate(p.provider.token, b.id, { score: 5 }),
        h.app.ratings.syncCompletions(),
      ])
      t.equal(a.statusCode, 201, a.body)
      t.equal(c.statusCode, 201, c.body)
      const view = (await get(`/v1/bookings/${b.id}/ratings`, p.requester.token)).json()
      t.equal(view.window.state, 'published')
      t.ok(view.ratings.length === 2 && view.ratings.every((r: { publishedAt: string | null }) => r.publishedAt))
    }
  })

  t.test('each side rates once (a database constraint)', async (t) => {
    const b = await s.bookingIn('completed')
    t.equal((await rate(p.requester.token, b.id, { score: 3 })).statusCode, 201)
    const twice = await rate(p.requester.token, b.id, { score: 5 })
    t.equal(twice.statusCode, 409)
    t.equal(twice.json().code, 'already_rated')
    t.equal(
      await violatedConstraint(
        sql`insert into ratings (id, booking_id, side, listing_id, listing_kind, rater_organization_id, rater_user_id,
            ratee_organization_id, score, created_at, updated_at)
          select gen_random_uuid(), booking_id, side, listing_id, listing_kind, rater_organization_id, rater_user_id,
            ratee_organization_id, 1, now(), now() from ratings where booking_id = ${b.id}`.execute(s.db),
      ),
      'ratings_one_per_side',
    )
  })

  t.test('a hidden rating may change; a published one may not (API and trigger)', async (t) => {
    const b = await s.bookingIn('completed')
    const mine = (await rate(p.requester.token, b.id, { score: 2 })).json()
    const edit = await h.app.inject({
      method: 'PATCH',
      url: `/v1/ratings/${mine.id}`,
      headers: bearer(p.requester.token),
      payload: { score: 3, comment: '想了想,其实还可以' },
    })
    t.equal(edit.statusCode, 200, edit.body)
    t.equal(edit.json().score, 3)
    const notMine = await h.app.inject({
      method: 'PATCH',
      url: `/v1/ratings/${mine.id}`,
      headers: bearer(p.provider.token),
      payload: { score: 1 },
    })
    t.equal(notMine.statusCode, 404, 'a hidden rating does not exist for others')

    await rate(p.provider.token, b.id, { score: 4 })
    const after = await h.app.inject({
      method: 'PATCH',
      url: `/v1/ratings/${mine.id}`,
      headers: bearer(p.requester.token),
      payload: { score: 5 },
    })
    t.equal(after.statusCode, 409)
    t.equal(after.json().code, 'rating_published')
    t.equal(
      await violatedConstraint(sql`update ratings set score = 5 where id = ${mine.id}`.execute(s.db)),
      'ratings_published_immutable',
    )
    t.equal(
      await violatedConstraint(sql`delete from ratings where id = ${mine.id}`.execute(s.db)),
      'ratings_published_immutable',
    )
  })

  t.test('no rating after the 14-day window', async (t) => {
    const b = await s.bookingIn('completed')
    h.clock.advance(14 * DAY + 60_000)
    const res = await rate(p.requester.token, b.id, { score: 5 })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'rating_window_closed')
  })

  t.test('the window timer publishes a lone rating when the window closes', async (t) => {
    const b = await s.bookingIn('completed')
    const mine = (await rate(p.provider.token, b.id, { score: 2, comment: '迟到了半小时' })).json()
    // Every completion so far has its window (the consumer is asynchronous), so the counts below are this test's.
    await h.app.ratings.syncCompletions()
    h.clock.advance(13 * DAY)
    await h.app.ratings.closeDueWindows() // windows of earlier tests may close now; this one may not
    const open = await s.db.selectFrom('ratingWindows').selectAll().where('bookingId', '=', b.id).executeTakeFirst()
    t.equal(open?.publishedAt, null, 'not yet')
    h.clock.advance(DAY + 60_000)
    t.ok((await h.app.ratings.closeDueWindows()) >= 1)
    t.equal(await h.app.ratings.closeDueWindows(), 0, 'a window closes once')
    const view = (await get(`/v1/bookings/${b.id}/ratings`, p.requester.token)).json()
    t.equal(view.window.state, 'published')
    t.equal(view.ratings.length, 1)
    t.equal(view.ratings[0].id, mine.id)
    t.not(view.ratings[0].publishedAt, null)
    const late = await rate(p.requester.token, b.id, { score: 1 })
    t.equal(late.json().code, 'rating_window_closed')
    const evs = await s.events(BOOKINGS_EVENTS.reputationUpdated)
    t.ok(
      evs.some((e) => e.entityId === p.requesterOrg && (e.payload as { subject: string }).subject === 'organization'),
    )
    // Messaging tells both sides from this event; it names the booking's sides and nothing that was said.
    const published = (await s.events(BOOKINGS_EVENTS.ratingsPublished)).filter((e) => e.entityId === b.id)
    t.same(
      published.map((e) => [e.version, e.payload]),
      [
        [
          1,
          {
            bookingId: b.id,
            listingId: s.listing.id,
            providerOrganizationId: s.listing.organizationId,
            requesterOrganizationId: p.requesterOrg,
          },
        ],
      ],
    )
  })

  t.test('dimensions are those of the listing kind (requester) or of requesters (provider)', async (t) => {
    const b = await s.bookingIn('completed')
    const wrong = await rate(p.requester.token, b.id, { score: 4, dimensions: { punctuality: 4 } })
    t.equal(wrong.statusCode, 422)
    t.equal(wrong.json().code, 'unknown_dimension')
    const outOfRange = await rate(p.requester.token, b.id, { score: 4, dimensions: { cleanliness: 6 } })
    t.equal(outOfRange.statusCode, 400)
  })

  t.test('the rated side replies once; anyone signed in reports; moderators hide with a reason', async (t) => {
    const b = await s.bookingIn('completed')
    const requesterRating = (await rate(p.requester.token, b.id, { score: 1, comment: '很差' })).json()
    await rate(p.provider.token, b.id, { score: 5 })
    const post = (url: string, token: string, payload: unknown) =>
      h.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as object })

    const byRater = await post(`/v1/ratings/${requesterRating.id}/reply`, p.requester.token, { body: '补充' })
    t.equal(byRater.statusCode, 403)
    const reply = await post(`/v1/ratings/${requesterRating.id}/reply`, p.provider.token, {
      body: '感谢反馈,我们会改进',
    })
    t.equal(reply.statusCode, 201, reply.body)
    t.equal(reply.json().reply.body, '感谢反馈,我们会改进')
    const again = await post(`/v1/ratings/${requesterRating.id}/reply`, p.provider.token, { body: '再说一句' })
    t.equal(again.json().code, 'already_replied')

    const before = (await get(`/v1/reputation/listings/${s.listing.id}`)).json().reputation
    const report = await post(`/v1/ratings/${requesterRating.id}/reports`, p.stranger.token, { reason: '恶意差评' })
    t.equal(report.statusCode, 201, report.body)
    const anonymous = await h.app.inject({
      method: 'POST',
      url: `/v1/ratings/${requesterRating.id}/reports`,
      payload: { reason: 'x' },
    })
    t.equal(anonymous.statusCode, 401)
    const queue = (await get('/v1/ratings/reports', p.moderator.token)).json()
    t.ok(queue.items.some((r: { ratingId: string }) => r.ratingId === requesterRating.id))

    const notMod = await post(`/v1/ratings/${requesterRating.id}/hide`, p.provider.token, { reason: '我不喜欢' })
    t.equal(notMod.statusCode, 403)
    const hidden = await post(`/v1/ratings/${requesterRating.id}/hide`, p.moderator.token, {
      reason: '经核实为恶意评价',
    })
    t.equal(hidden.statusCode, 200, hidden.body)
    t.equal(hidden.json().hidden, true)

    const after = (await get(`/v1/reputation/listings/${s.listing.id}`)).json().reputation
    t.equal(after.count, before.count - 1, 'the hidden rating left the reputation')
    t.equal(after.distribution[1], before.distribution[1] - 1)
    const listed = (await get(`/v1/ratings?listingId=${s.listing.id}&limit=100`)).json()
    t.notOk(listed.items.some((r: { id: string }) => r.id === requesterRating.id))
    const audit = await s.db.selectFrom('ratingAudit').selectAll().where('ratingId', '=', requesterRating.id).execute()
    t.equal(audit.length, 1)
    t.equal(audit[0]?.reason, '经核实为恶意评价')
  })

  t.test('a report comes with its rating and booking; a moderator may dismiss it instead of hiding', async (t) => {
    const b = await s.bookingIn('completed')
    const providerRating = (await rate(p.provider.token, b.id, { score: 2, comment: '迟到了半小时' })).json()
    await rate(p.requester.token, b.id, { score: 4 })
    const post = (url: string, token: string, payload: unknown) =>
      h.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as object })
    const report = await post(`/v1/ratings/${providerRating.id}/reports`, p.requester.token, { reason: '其实准时到了' })
    t.equal(report.statusCode, 201, report.body)

    const queue = (await get('/v1/ratings/reports?limit=100', p.moderator.token)).json()
    const item = queue.items.find((r: { ratingId: string }) => r.ratingId === providerRating.id)
    t.match(item, {
      reason: '其实准时到了',
      rating: {
        id: providerRating.id,
        score: 2,
        comment: '迟到了半小时',
        side: 'provider',
        raterOrganizationId: s.listing.organizationId,
      },
      booking: { id: b.id, listingTitle: s.listing.title },
    })
    t.equal(Date.parse(item.booking.start), Date.parse(b.start), 'the booking’s time')

    const notMod = await post(`/v1/ratings/${providerRating.id}/reports/dismiss`, p.provider.token, { reason: '无' })
    t.equal(notMod.statusCode, 403)
    const dismissed = await post(`/v1/ratings/${providerRating.id}/reports/dismiss`, p.moderator.token, {
      reason: '评价属实，举报不成立',
    })
    t.equal(dismissed.statusCode, 200, dismissed.body)
    t.same(dismissed.json(), { ratingId: providerRating.id, dismissed: 1 })
    const after = (await get('/v1/ratings/reports?limit=100', p.moderator.token)).json()
    t.notOk(
      after.items.some((r: { ratingId: string }) => r.ratingId === providerRating.id),
      'it left the queue',
    )
    const rating = await s.db
      .selectFrom('ratings')
      .select('hiddenAt')
      .where('id', '=', providerRating.id)
      .executeTakeFirst()
    t.equal(rating?.hiddenAt, null, 'the rating stays visible')
    const trail = (await get('/v1/ratings/audit?limit=100', p.moderator.token)).json()
    t.match(
      trail.items.find((e: { ratingId: string }) => e.ratingId === providerRating.id),
      { action: 'dismiss', reason: '评价属实，举报不成立' },
    )
    const twice = await post(`/v1/ratings/${providerRating.id}/reports/dismiss`, p.moderator.token, { reason: '再次' })
    t.equal(twice.statusCode, 409)
    t.equal(twice.json().code, 'no_open_reports')
  })

  t.test('published ratings page through with a cursor, newest first', async (t) => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await get(
        `/v1/ratings?organizationId=${s.listing.organizationId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      )
      t.equal(res.statusCode, 200, res.body)
      const page = res.json() as { items: Array<{ id: string; publishedAt: string }>; nextCursor: string | null }
      seen.push(...page.items.map((r) => r.id))
      cursor = page.nextCursor
    } while (cursor)
    const all = (await get(`/v1/ratings?organizationId=${s.listing.organizationId}&limit=100`)).json()
    t.ok(seen.length >= 2)
    t.same(
      seen,
      all.items.map((r: { id: string }) => r.id),
    )
    t.equal(new Set(seen).size, seen.length, 'no rating twice')
    const bad = await get('/v1/ratings?listingId=00000000-0000-4000-8000-000000000000&cursor=nope')
    t.equal(bad.statusCode, 400)
    const none = await get('/v1/ratings')
    t.equal(none.statusCode, 400, 'one filter is required')
  })

  t.test('the consumer of the bookings feed opens the window at completion', async (t) => {
    const b = await s.bookingIn('completed')
    await h.app.ratings.syncCompletions()
    const window = await s.db.selectFrom('ratingWindows').selectAll().where('bookingId', '=', b.id).executeTakeFirst()
    t.ok(window)
    t.equal(window!.closesAt.getTime() - window!.completedAt.getTime(), 14 * DAY)
  })
})
