import { randomUUID } from 'node:crypto'
import { BOOKINGS_EVENTS, ReputationUpdatedPayload } from '@commons/contracts'
import t from 'tap'
import { bearer, tokenFor } from './helpers.ts'
import { ratingsSetup } from './ratings-support.ts'

const MINUTE = 60_000

t.test('hidden ratings', async (t) => {
  const s = await ratingsSetup(t)
  const { h, p, rate, get } = s
  const moderatorId = randomUUID()
  const moderator = await tokenFor({ userId: moderatorId, moderator: true })
  const post = (url: string, token: string | undefined, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: token ? bearer(token) : {}, payload })
  const hide = (id: string, reason: string) => post(`/v1/ratings/${id}/hide`, moderator, { reason })
  const unhide = (id: string, token: string | undefined, reason = '申诉成立') =>
    post(`/v1/ratings/${id}/unhide`, token, { reason })

  /** A completed booking rated by both sides (so both ratings are published); returns the requester's rating. */
  async function publishedRating(score: number) {
    const b = await s.bookingIn('completed')
    const mine = (await rate(p.requester.token, b.id, { score, comment: '一般' })).json() as { id: string }
    await rate(p.provider.token, b.id, { score: 5 })
    return mine.id
  }
  const listingReputation = async () => (await get(`/v1/reputation/listings/${s.listing.id}`)).json().reputation
  const listed = async () =>
    ((await get(`/v1/ratings?listingId=${s.listing.id}&limit=100`)).json().items as Array<{ id: string }>).map(
      (r) => r.id,
    )
  const audit = (id: string) =>
    s.db
      .selectFrom('ratingAudit')
      .select(['action', 'reason', 'actorUserId'])
      .where('ratingId', '=', id)
      .orderBy('id')
      .execute()

  t.test('moderators list hidden ratings, newest hide first, with reason, moderator and time', async (t) => {
    const older = await publishedRating(1)
    const newer = await publishedRating(2)
    const visible = await publishedRating(4)
    h.clock.set('2027-03-01T00:00:00Z')
    t.equal((await hide(older, '人身攻击')).statusCode, 200)
    h.clock.advance(MINUTE)
    t.equal((await hide(newer, '广告')).statusCode, 200)

    const res = await get('/v1/ratings/hidden', moderator)
    t.equal(res.statusCode, 200, res.body)
    const items = res.json().items as Array<{ rating: { id: string; hidden: boolean; score: number } }>
    const ours = items.filter((i) => [older, newer, visible].includes(i.rating.id))
    t.same(
      ours.map((i) => i.rating.id),
      [newer, older],
      'newest hide first; visible ratings are not listed',
    )
    t.match(res.json().items[0], {
      rating: { id: newer, hidden: true, score: 2 },
      reason: '广告',
      hiddenBy: moderatorId,
      hiddenAt: '2027-03-01T00:01:00.000Z',
    })
  })

  t.test('the list pages through with a cursor', async (t) => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await get(`/v1/ratings/hidden?limit=1${cursor ? `&cursor=${cursor}` : ''}`, moderator)
      t.equal(res.statusCode, 200, res.body)
      const page = res.json() as { items: Array<{ rating: { id: string } }>; nextCursor: string | null }
      t.ok(page.items.length <= 1)
      seen.push(...page.items.map((i) => i.rating.id))
      cursor = page.nextCursor
    } while (cursor)
    const all = (await get('/v1/ratings/hidden?limit=100', moderator)).json()
    t.ok(seen.length >= 2)
    t.same(
      seen,
      all.items.map((i: { rating: { id: string } }) => i.rating.id),
    )
    t.equal((await get('/v1/ratings/hidden?cursor=nope', moderator)).json().code, 'invalid_cursor')
  })

  t.test('only moderators list hidden ratings: 401 without a token, 403 for others', async (t) => {
    t.equal((await get('/v1/ratings/hidden')).statusCode, 401)
    for (const token of [p.provider.token, p.requester.token]) {
      const res = await get('/v1/ratings/hidden', token)
      t.equal(res.statusCode, 403)
      t.equal(res.json().code, 'forbidden')
    }
  })

  t.test('unhiding restores a rating to lists and reputation, audited, with reputation events', async (t) => {
    const id = await publishedRating(1)
    const before = await listingReputation()
    await hide(id, '疑似恶意')
    t.equal((await listingReputation()).count, before.count - 1)
    const eventsBefore = await s.events(BOOKINGS_EVENTS.reputationUpdated)

    const res = await unhide(id, moderator, '复核后恢复')
    t.equal(res.statusCode, 200, res.body)
    t.equal(res.json().hidden, false)
    t.equal(res.json().id, id)

    const after = await listingReputation()
    t.same(after, before, 'the reputation is what it was before the hide')
    t.ok((await listed()).includes(id), 'listed again')
    const hidden = (await get('/v1/ratings/hidden?limit=100', moderator)).json().items
    t.notOk(
      hidden.some((i: { rating: { id: string } }) => i.rating.id === id),
      'no longer in the hidden list',
    )
    t.same(await audit(id), [
      { action: 'hide', reason: '疑似恶意', actorUserId: moderatorId },
      { action: 'unhide', reason: '复核后恢复', actorUserId: moderatorId },
    ])
    const fresh = (await s.events(BOOKINGS_EVENTS.reputationUpdated)).slice(eventsBefore.length)
    t.same(
      fresh.map((e) => e.entityId).sort(),
      [s.listing.id, s.listing.organizationId].sort(),
      'as on hide: the listing and the provider get a new reputation.updated',
    )
    const forListing = ReputationUpdatedPayload.parse(fresh.find((e) => e.entityId === s.listing.id)?.payload)
    t.equal(forListing.count, before.count, 'the event carries the restored count')
  })

  t.test('unhiding a rating that is not hidden is 409 not_hidden and writes nothing', async (t) => {
    const id = await publishedRating(3)
    const eventsBefore = (await s.events(BOOKINGS_EVENTS.reputationUpdated)).length
    const res = await unhide(id, moderator)
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'not_hidden')
    t.same(await audit(id), [])
    t.equal((await s.events(BOOKINGS_EVENTS.reputationUpdated)).length, eventsBefore)
  })

  t.test('only moderators unhide: 401 without a token, 403 for others, 404 for no rating', async (t) => {
    const id = await publishedRating(2)
    await hide(id, '辱骂')
    t.equal((await unhide(id, undefined)).statusCode, 401)
    const byProvider = await unhide(id, p.provider.token)
    t.equal(byProvider.statusCode, 403)
    const stillHidden = (await get('/v1/ratings/hidden?limit=100', moderator)).json().items
    t.ok(
      stillHidden.some((i: { rating: { id: string } }) => i.rating.id === id),
      'a refused unhide changes nothing',
    )
    t.equal((await audit(id)).length, 1)
    t.equal((await unhide(randomUUID(), moderator)).statusCode, 404)
    t.equal((await unhide(id, moderator, '')).statusCode, 400, 'a reason is required')
  })

  t.test('unhiding an unpublished rating appends no reputation event (it never counted)', async (t) => {
    const b = await s.bookingIn('completed')
    const rating = (await rate(p.requester.token, b.id, { score: 1 })).json() as { id: string }
    await hide(rating.id, '待核实')
    const eventsBefore = (await s.events(BOOKINGS_EVENTS.reputationUpdated)).length
    const res = await unhide(rating.id, moderator)
    t.equal(res.statusCode, 200, res.body)
    t.equal(res.json().publishedAt, null)
    t.equal((await s.events(BOOKINGS_EVENTS.reputationUpdated)).length, eventsBefore)
  })

  t.test('a moderator who belongs to a rated organization may not hide or dismiss its ratings', async (t) => {
    const id = await publishedRating(1)
    const insider = await tokenFor({ moderator: true, roles: { [s.listing.organizationId]: 'member' } })
    const res = await post(`/v1/ratings/${id}/hide`, insider, { reason: '不喜欢' })
    t.equal(res.statusCode, 403)
    t.equal(res.json().code, 'own_organization')
    const dismiss = await post(`/v1/ratings/${id}/reports/dismiss`, insider, { reason: '不成立' })
    t.equal(dismiss.statusCode, 403)
    t.same(await audit(id), [], 'nothing was audited')
  })
})
