import { randomUUID } from 'node:crypto'
import { encodeCursor } from '@commons/contracts'
import { sql } from 'kysely'
import t from 'tap'
import { bearer, tokenFor } from './helpers.ts'
import { ratingsSetup, violatedConstraint } from './ratings-support.ts'

const MINUTE = 60_000

interface Entry {
  id: string
  ratingId: string
  action: string
  actorUserId: string | null
  reason: string | null
  at: string
}
interface Page {
  items: Entry[]
  nextCursor: string | null
}

t.test('rating audit', async (t) => {
  const s = await ratingsSetup(t)
  const { h, p, rate, get } = s
  const moderatorId = randomUUID()
  const moderator = await tokenFor({ userId: moderatorId, moderator: true })
  const post = (url: string, reason: string) =>
    h.app.inject({ method: 'POST', url, headers: bearer(moderator), payload: { reason } })
  const audit = async (query = '') => {
    const res = await get(`/v1/ratings/audit${query}`, moderator)
    t.equal(res.statusCode, 200, res.body)
    return res.json() as Page
  }

  /** A completed booking rated by both sides (so both ratings are published); returns the requester's rating. */
  async function publishedRating() {
    const b = await s.bookingIn('completed')
    const mine = (await rate(p.requester.token, b.id, { score: 2 })).json() as { id: string }
    await rate(p.provider.token, b.id, { score: 5 })
    return mine.id
  }

  t.test('only moderators read the audit trail: 401 without a token, 403 for others', async (t) => {
    t.equal((await get('/v1/ratings/audit')).statusCode, 401)
    for (const token of [p.provider.token, p.requester.token]) {
      const res = await get('/v1/ratings/audit', token)
      t.equal(res.statusCode, 403)
      t.equal(res.json().code, 'forbidden')
    }
  })

  t.test('a hide then an unhide read newest first, with the reasons and the moderator', async (t) => {
    const id = await publishedRating()
    h.clock.set('2027-06-01T00:00:00Z')
    t.equal((await post(`/v1/ratings/${id}/hide`, '人身攻击')).statusCode, 200)
    h.clock.advance(MINUTE)
    t.equal((await post(`/v1/ratings/${id}/unhide`, '复核后恢复')).statusCode, 200)

    const page = await audit()
    const ours = page.items.filter((e) => e.ratingId === id)
    t.same(
      ours.map(({ id: _id, ...rest }) => rest),
      [
        {
          ratingId: id,
          action: 'unhide',
          actorUserId: moderatorId,
          reason: '复核后恢复',
          at: '2027-06-01T00:01:00.000Z',
        },
        { ratingId: id, action: 'hide', actorUserId: moderatorId, reason: '人身攻击', at: '2027-06-01T00:00:00.000Z' },
      ],
    )
    t.equal(page.items[0]?.action, 'unhide', 'the newest step of the whole trail comes first')
    t.ok(
      ours.every((e) => /^\d+$/.test(e.id)),
      'ids are strings',
    )
    t.not(ours[0]?.id, ours[1]?.id)
  })

  t.test('pages never repeat or skip an entry, even between steps of the same millisecond', async (t) => {
    const ids = [await publishedRating(), await publishedRating(), await publishedRating()]
    // One instant for all three, so only the id orders them and the cursor must carry it.
    h.clock.set('2027-07-01T00:00:00Z')
    for (const id of ids) t.equal((await post(`/v1/ratings/${id}/hide`, '广告')).statusCode, 200)

    const all = (await audit('?limit=100')).items.map((e) => e.id)
    t.ok(all.length >= 5)
    t.equal(new Set(all).size, all.length)

    const limit = Math.ceil(all.length / 2)
    const first = await audit(`?limit=${limit}`)
    t.equal(first.items.length, limit)
    t.ok(first.nextCursor, 'a first page of a longer list has a cursor')
    const second = await audit(`?limit=${limit}&cursor=${first.nextCursor}`)
    t.equal(second.nextCursor, null, 'two pages hold it all')
    const paged = [...first.items, ...second.items].map((e) => e.id)
    t.same(paged, all, 'two pages are the whole list, in order, each entry once')

    const walked: string[] = []
    let cursor: string | null = null
    do {
      const page: Page = await audit(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      walked.push(...page.items.map((e) => e.id))
      cursor = page.nextCursor
    } while (cursor)
    t.same(walked, all, 'one entry a page, across the same-millisecond hides too')
  })

  t.test('a cursor this list did not give out is 400 invalid_cursor', async (t) => {
    const hiddenListCursor = encodeCursor({ h: '2027-07-01T00:00:00.000Z', id: randomUUID() })
    for (const cursor of ['nope', hiddenListCursor]) {
      const res = await get(`/v1/ratings/audit?cursor=${cursor}`, moderator)
      t.equal(res.statusCode, 400)
      t.equal(res.json().code, 'invalid_cursor')
    }
  })

  t.test('the audit trail holds only the actions the contract lists', async (t) => {
    const id = await publishedRating()
    const insert = sql`
      insert into rating_audit (rating_id, actor_user_id, action, reason, at)
      values (${id}, ${moderatorId}, 'delete', 'x', now())
    `.execute(s.db)
    t.equal(await violatedConstraint(insert), 'rating_audit_action')
  })
})
