import t from 'tap'
import { act, bearer, book, makeListing, parties, testApp } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'

/** The VEVENT blocks of an iCalendar document, unfolded, as maps of property name -> value. */
function events(ics: string): Array<Record<string, string>> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n')
  const out: Array<Record<string, string>> = []
  let current: Record<string, string> | undefined
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {}
    else if (line === 'END:VEVENT' && current) {
      out.push(current)
      current = undefined
    } else if (current) {
      const i = line.indexOf(':')
      current[line.slice(0, i).split(';')[0]!] = line.slice(i + 1)
    }
  }
  return out
}

t.test('calendars', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing()
  await h.publish(listing)
  const p = await parties(listing)
  const booking = (
    await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: '2026-12-01T10:00',
      end: '2026-12-01T12:00',
    })
  ).json()

  t.test('a listing feed shows busy times with stable UIDs and no personal data', async (t) => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/calendars/listings/${listing.id}.ics` })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/calendar/)
    const [event, ...rest] = events(res.body)
    t.equal(rest.length, 0)
    t.equal(event?.UID, `${booking.id}@commons`)
    t.equal(event?.DTSTART, '20261201T020000Z')
    t.equal(event?.SEQUENCE, '1')
    t.equal(event?.STATUS, 'TENTATIVE')
    t.notMatch(res.body, /党员学习活动/, 'the purpose is not published')
    t.notMatch(res.body, new RegExp(p.requesterOrg), 'nor who booked')
  })

  t.test('SEQUENCE increases and STATUS follows when the booking changes', async (t) => {
    await act(h.app, p.provider.token, booking.id, 'accept')
    let event = events((await h.app.inject({ method: 'GET', url: `/v1/calendars/listings/${listing.id}.ics` })).body)[0]
    t.match(event, { UID: `${booking.id}@commons`, SEQUENCE: '2', STATUS: 'CONFIRMED' })
    await act(h.app, p.requester.token, booking.id, 'cancel')
    event = events((await h.app.inject({ method: 'GET', url: `/v1/calendars/listings/${listing.id}.ics` })).body)[0]
    t.match(event, { UID: `${booking.id}@commons`, SEQUENCE: '3', STATUS: 'CANCELLED' })
  })

  t.test('an organization feed needs its token; a new token revokes the old one', async (t) => {
    const url = (token: string) => `/v1/calendars/organizations/${listing.organizationId}.ics?token=${token}`
    const denied = await h.app.inject({
      method: 'POST',
      url: `/v1/calendars/organizations/${listing.organizationId}/token`,
      headers: bearer(p.requester.token),
    })
    t.equal(denied.statusCode, 403)
    const issue = () =>
      h.app.inject({
        method: 'POST',
        url: `/v1/calendars/organizations/${listing.organizationId}/token`,
        headers: bearer(p.provider.token),
      })
    const first = (await issue()).json()
    const ok = await h.app.inject({ method: 'GET', url: url(first.token) })
    t.equal(ok.statusCode, 200)
    t.match(ok.body, /党员学习活动/, 'the private feed carries the details')
    t.equal((await h.app.inject({ method: 'GET', url: url('1.forged') })).statusCode, 404)
    const second = (await issue()).json()
    t.equal((await h.app.inject({ method: 'GET', url: url(first.token) })).statusCode, 404, 'revoked')
    t.equal((await h.app.inject({ method: 'GET', url: url(second.token) })).statusCode, 200)
    // Issue 13: a link does not outlive its 90 days, so an admin who lost the role keeps no access.
    const issuedAt = h.clock.now()
    h.clock.set(new Date(issuedAt.getTime() + 91 * 86_400_000))
    t.equal((await h.app.inject({ method: 'GET', url: url(second.token) })).statusCode, 404, 'expired')
    const third = (await issue()).json()
    t.equal((await h.app.inject({ method: 'GET', url: url(third.token) })).statusCode, 200, 'a new link works again')
    h.clock.set(issuedAt)
  })
})
