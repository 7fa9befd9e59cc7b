import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import t from 'tap'
import { creditVolunteerBooking } from '../src/credits/credits.service.ts'
import { tokenFor } from './helpers.ts'
import { ratingsSetup, violatedConstraint } from './ratings-support.ts'

t.test('volunteer time credits', async (t) => {
  const s = await ratingsSetup(t, { kind: 'volunteer_time' })
  const { h, p, get } = s
  const sumAll = async () =>
    Number(
      (await sql<{ n: string }>`select coalesce(sum(minutes), 0) as n from credit_entries`.execute(s.db)).rows[0]?.n,
    )

  t.test('a completed volunteer booking credits its hours to the volunteer and the organization', async (t) => {
    await s.bookingIn('completed', { hours: 2 })
    await h.app.ratings.syncCompletions()
    const org = (await get(`/v1/time-credits/organizations/${s.listing.organizationId}`)).json()
    t.same(org, {
      organizationId: s.listing.organizationId,
      balanceHours: 2,
      givenHours: 2,
      receivedHours: 0,
      bookings: 1,
    })
    const group = (await get(`/v1/time-credits/organizations/${p.requesterOrg}`)).json()
    t.equal(group.balanceHours, -2)
    t.equal(group.receivedHours, 2)
    const volunteer = await get(`/v1/time-credits/members/${p.provider.userId}`, p.provider.token)
    t.equal(volunteer.statusCode, 200, volunteer.body)
    t.equal(volunteer.json().balanceHours, 2, 'the provider admin who accepted is the volunteer')
    t.equal(await sumAll(), 0, 'the ledger sums to zero')
    const ledger = (await get(`/v1/ledger/listings/${s.listing.id}`)).json()
    t.equal(ledger.months[0].volunteerHours, 2)
  })

  t.test('replayed completions credit once', async (t) => {
    await sql`delete from feed_cursors where consumer = 'bookings.ratings'`.execute(s.db)
    await h.app.ratings.syncCompletions()
    const org = (await get(`/v1/time-credits/organizations/${s.listing.organizationId}`)).json()
    t.equal(org.balanceHours, 2)
  })

  t.test('a no-show or a cancellation credits nothing; a no-show after completion reverses', async (t) => {
    await s.bookingIn('no_show')
    await s.bookingIn('cancelled')
    const completed = await s.bookingIn('completed')
    await h.app.ratings.syncCompletions()
    t.equal((await get(`/v1/time-credits/organizations/${s.listing.organizationId}`)).json().balanceHours, 3)
    // A moderator rules a no-show after the booking completed (the provider alone no longer may).
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/bookings/${completed.id}/no-show`,
      headers: { authorization: `Bearer ${p.moderator.token}` },
      payload: { reason: '核实未到场' },
    })
    t.equal(res.statusCode, 200, res.body)
    await h.app.ratings.syncCompletions()
    const org = (await get(`/v1/time-credits/organizations/${s.listing.organizationId}`)).json()
    t.equal(org.balanceHours, 2)
    t.equal(org.givenHours, 2)
    t.equal(org.bookings, 1)
    t.equal(await sumAll(), 0)
    const window = await s.db
      .selectFrom('ratingWindows')
      .selectAll()
      .where('bookingId', '=', completed.id)
      .executeTakeFirst()
    t.not(window?.voidedAt, null, 'its rating window is void')
  })

  t.test('member credits: the member and their organization admins only', async (t) => {
    const url = `/v1/time-credits/members/${p.requester.userId}`
    t.equal((await get(url, p.requester.token)).json().balanceHours, -2)
    const groupAdmin = await tokenFor({ roles: { [p.requesterOrg]: 'admin' } })
    t.equal((await get(url, groupAdmin)).statusCode, 200)
    t.equal((await get(url, p.stranger.token)).statusCode, 403)
    t.equal((await get(url)).statusCode, 401)
  })

  t.test('the database refuses a journal that does not sum to zero, at commit', async (t) => {
    const journal = randomUUID()
    const booking = (await s.db.selectFrom('bookings').select('id').limit(1).executeTakeFirstOrThrow()).id
    t.equal(
      await violatedConstraint(
        s.db.transaction().execute(async (trx) => {
          await sql`insert into credit_journals (id, booking_id, kind, created_at)
                  values (${journal}, ${booking}, 'reverse', now())`.execute(trx)
          await sql`insert into credit_entries (journal_id, account_kind, account_id, organization_id, minutes, created_at)
                  values (${journal}, 'organization', ${randomUUID()}, ${randomUUID()}, 60, now())`.execute(trx)
          // Deferred: the statement above passed; the commit is what fails.
        }),
      ),
      'credit_entries_balanced',
    )
    t.equal(
      await violatedConstraint(sql`update credit_entries set minutes = minutes * 2`.execute(s.db)),
      'credit_entries_append_only',
    )
    t.equal(await violatedConstraint(sql`delete from credit_entries`.execute(s.db)), 'credit_entries_append_only')
    t.equal(await sumAll(), 0)
  })

  // Last: it credits a booking the consumer would not (still confirmed), which the totals above do not count.
  t.test('a credit journal is checked for balance as it is written, failing with the constraint name', async (t) => {
    // Confirmed, so the completion consumer leaves it alone and this call is the one that writes the journal.
    const confirmed = await s.bookingIn('confirmed', { hours: 3 })
    const row = await s.db.selectFrom('bookings').selectAll().where('id', '=', confirmed.id).executeTakeFirstOrThrow()
    let credited: boolean | undefined
    const failure = await violatedConstraint(
      s.db.transaction().execute(async (trx) => {
        credited = await creditVolunteerBooking(trx, { ...row, status: 'completed' }, h.clock.now())
        const { rows } = await sql<{ n: string }>`
          select coalesce(sum(e.minutes), 0) as n from credit_entries e
          join credit_journals j on j.id = e.journal_id where j.booking_id = ${row.id}`.execute(trx)
        t.equal(Number(rows[0]?.n), 0, 'the journal sums to zero')
      }),
    )
    t.equal(failure, undefined, 'no constraint refused the journal')
    t.equal(credited, true)
    t.equal(await sumAll(), 0)
  })
})
