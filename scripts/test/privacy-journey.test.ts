/**
 * Issue 20's journey through the public entry point: a person signs up with consent recorded, books, rates,
 * views a listing, exports (the archive holds each of those), and closes the account. After the cooling-off
 * period no service answers with their name, email or phone, their booking shows 已注销用户, and the ledger
 * totals are what they were. All the while, no service log line carries the email, phone or name.
 */
import pg from 'pg'
import t from 'tap'
import {
  bookSlot,
  PASSWORD,
  setUpJourney,
  slotsAhead,
  verifyPhone,
} from '../../services/web/test/browser/journey-setup.ts'
import { eventually } from '../../services/web/test/browser/support.ts'
import { joinOrganization, startTestStack } from '../lib/test-stack.ts'

// A whole stack, a booking taken to completion, an export and a closing: minutes on a loaded machine.
t.setTimeout(15 * 60_000)

const MOBILE = '13712340987'
const NAME = '赵小红'

t.test('sign up, book, rate, view, export, close: nothing personal remains and the ledger holds', async (t) => {
  // Info level: the log check below reads what the services print in normal operation.
  const stack = await startTestStack(t, { LOG_LEVEL: 'info', PHONE_CODE_RESEND_SECONDS: '1' })
  const { call, providerOrg, requesterOrg, requester, listing } = await setUpJourney(stack)
  const email = `zhao+${Date.now()}@example.org`

  const notice = await call('GET', '/v1/privacy/notice')
  const signUp = await stack.signUp({
    email,
    password: PASSWORD,
    displayName: NAME,
    privacy: { noticeVersion: notice.version, personalisedRecommendations: true, emailNotifications: false },
  })
  t.equal(signUp.mustAcceptNotice, false, 'the accepted notice is recorded at sign-up')
  await joinOrganization(
    stack,
    requesterOrg.accessToken,
    requesterOrg.organization.id,
    { email, token: signUp.accessToken },
    'admin',
  )
  const person = await call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } })
  const userId: string = person.user.id
  await verifyPhone(stack, call, person.accessToken, MOBILE)
  const status = await call('GET', '/v1/me/privacy', { token: person.accessToken })
  t.match(status, { acceptedNoticeVersion: notice.version, consents: { personalisedRecommendations: true } })

  // Views (recorded because personalisation was agreed to), a booking, its completion and a rating.
  await call('POST', '/v1/views', { token: person.accessToken, body: { listingId: listing.id } })
  const [slot] = await slotsAhead(call, listing.id)
  const booking = await bookSlot(call, person.accessToken, {
    listingId: listing.id,
    organizationId: requesterOrg.organization.id,
    slot: slot!,
    attendees: 8,
    purpose: '楼组长议事会',
  })
  await call('POST', `/v1/bookings/${booking.id}/accept`, { token: providerOrg.accessToken, body: {} })
  await stack.beginBooking(booking.id)
  await call('POST', `/v1/bookings/${booking.id}/complete`, { token: providerOrg.accessToken, body: {} })
  await call('POST', `/v1/bookings/${booking.id}/ratings`, {
    token: person.accessToken,
    body: { score: 5, comment: '会议室干净，服务周到。' },
  })
  await call('POST', `/v1/bookings/${booking.id}/ratings`, {
    token: providerOrg.accessToken,
    body: { score: 5, comment: '守时，用后整理干净。' },
  })
  const providerView = await call('GET', `/v1/bookings/${booking.id}`, { token: providerOrg.accessToken })
  t.equal(providerView.parties.requester.bookerName, NAME)

  // The export: a job assembles every service's part; a signed link downloads it.
  const started = await call('POST', '/v1/me/exports', { token: person.accessToken, body: {} })
  let ready: { status: string; downloadUrl: string | null } = started
  await eventually(async () => {
    ready = await call('GET', `/v1/me/exports/${started.id}`, { token: person.accessToken })
    return ready.status === 'ready'
  }, 'the export is ready')
  const archive = await call('GET', ready.downloadUrl as string)
  t.equal(archive.parts.listings.profile.email, email)
  t.equal(archive.parts.listings.profile.phone, MOBILE)
  t.equal(archive.parts.listings.noticeAcceptances[0].noticeVersion, notice.version)
  t.same(
    archive.parts.bookings.bookings.map((b: { id: string }) => b.id),
    [booking.id],
    'the booking they made',
  )
  t.equal(archive.parts.bookings.ratingsGiven[0].comment, '会议室干净，服务周到。')
  t.same(
    archive.parts.discovery.views.map((v: { listingId: string }) => v.listingId),
    [listing.id],
    'the listing they viewed',
  )
  t.ok(archive.parts.messaging && archive.parts.community, 'every service answered')

  const ledgerPaths = [`/v1/ledger/organizations/${providerOrg.organization.id}`, `/v1/ledger/listings/${listing.id}`]
  const ledgerBefore = await Promise.all(ledgerPaths.map((p) => call('GET', p)))

  // Closing: the password again, then the cooling-off period.
  const wrong = await stack.call('POST', '/v1/me/deletion', {
    token: person.accessToken,
    body: { password: 'nope12345678' },
  })
  t.equal(wrong.status, 401)
  const requested = await call('POST', '/v1/me/deletion', { token: person.accessToken, body: { password: PASSWORD } })
  t.ok(Date.parse(requested.deletion.closesAt) - Date.now() > 6 * 86_400_000, 'seven days to change one’s mind')
  // The services run on the wall clock, so the test moves the request's due time instead of the clock.
  await moveClosingToNow(stack.databaseUrl, userId)
  await eventually(
    async () => (await stack.call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } })).status === 401,
    'the account closes',
  )
  // Every service has applied account.closed once the booker shows as 已注销用户 and messaging forgot them.
  await eventually(async () => {
    const b = await call('GET', `/v1/bookings/${booking.id}`, { token: providerOrg.accessToken })
    return b.parties.requester.bookerName === '已注销用户'
  }, 'bookings applied account.closed')

  const personal = [email, MOBILE, NAME]
  const reads: Array<[string, string | undefined]> = [
    [`/v1/bookings/${booking.id}`, providerOrg.accessToken],
    [`/v1/bookings/${booking.id}`, requesterOrg.accessToken],
    [`/v1/bookings/${booking.id}/ratings`, providerOrg.accessToken],
    [`/v1/bookings/${booking.id}/history`, providerOrg.accessToken],
    ['/v1/bookings?role=provider', providerOrg.accessToken],
    [`/v1/organizations/${requesterOrg.organization.id}/members`, requesterOrg.accessToken],
    [`/v1/organizations/${requesterOrg.organization.id}`, undefined],
    [`/v1/ratings?listingId=${listing.id}`, undefined],
    [`/v1/reputation/members/${userId}`, requester.accessToken],
    [`/v1/listings/${listing.id}`, undefined],
    [`/v1/search?q=${encodeURIComponent('会议室')}`, undefined],
    ['/v1/conversations', providerOrg.accessToken],
    ...ledgerPaths.map((p): [string, undefined] => [p, undefined]),
  ]
  for (const [path, token] of reads) {
    const res = await stack.call('GET', path, { token })
    const body = JSON.stringify(res.body)
    t.ok(res.status < 500, `${path} answers (${res.status})`)
    t.notOk(
      personal.some((p) => body.includes(p)),
      `${path} carries no name, email or phone`,
    )
  }
  for (const port of Object.values(stack.ports)) {
    const res = await fetch(`http://127.0.0.1:${port}/internal/personal-data/${userId}`, {
      headers: { authorization: `Bearer ${'x'.repeat(40)}` },
    })
    t.equal(res.status, 401, 'the internal export call needs the service token')
  }
  const ledgerAfter = await Promise.all(ledgerPaths.map((p) => call('GET', p)))
  t.same(ledgerAfter, ledgerBefore, 'the ledger totals are unchanged')
  const old = await stack.call('POST', '/v1/auth/refresh', { body: { refreshToken: person.refreshToken } })
  t.equal(old.status, 401, 'sessions ended with the account')

  // Logs carry ids, never the person: the development SMS and mail stand-ins are the lines that show a
  // number or an address (with the greeting), and they exist only outside production, as the message would.
  const leaking = stack
    .output()
    .split('\n')
    .filter((line) => !line.includes('DEV SMS') && !line.includes('DEV MAIL'))
    .filter((line) => personal.some((p) => line.includes(p)))
  t.same(leaking, [], 'no log line carries the email, phone or name')
})

async function moveClosingToNow(databaseUrl: string, userId: string) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query(`update listings.deletion_requests set closes_at = now() where user_id = $1`, [userId])
    const moved = await client.query(`update listings_jobs._private_jobs set run_at = now() where key = $1`, [
      `account-close:${userId}`,
    ])
    if (moved.rowCount !== 1) throw new Error('no pending account.close job')
  } finally {
    await client.end()
  }
}
