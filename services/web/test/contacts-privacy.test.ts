/**
 * Contacts are private: with phone numbers seeded in both organizations' contacts, a listing's payment
 * terms and a member's account, and a booking confirmed and completed (so it reaches the ledger, ratings
 * and reputation), no public endpoint's body contains either number. The public endpoints are every GET
 * operation of the merged OpenAPI document that asks for no bearer token, so a new one is covered (or
 * fails here until it is given its parameters), community's and messaging's included. The numbers also
 * travel where people put them: in a message of the booking's conversation (messaging).
 */
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { startTestStack } from '../../../scripts/lib/test-stack.ts'
import { bookSlot, setUpJourney, slotsAhead, verifyPhone } from './browser/journey-setup.ts'
import { eventually } from './browser/support.ts'

// A whole stack, a booking taken to completion and search caught up: minutes on a loaded machine.
t.setTimeout(15 * 60_000)

const PROVIDER_MOBILE = '13912345678'
const REQUESTER_MOBILE = '13687654321'

t.test('no public endpoint answers with a seeded phone number', async (t) => {
  const stack = await startTestStack(t, { PHONE_CODE_RESEND_SECONDS: '1' })
  const { call, providerOrg, requesterOrg, requester, listing } = await setUpJourney(stack)
  await call('PUT', `/v1/organizations/${providerOrg.organization.id}/contacts`, {
    token: providerOrg.accessToken,
    body: { contactPerson: '张主任', mobile: PROVIDER_MOBILE, wechatId: 'zhang_huamu' },
  })
  await call('PUT', `/v1/organizations/${requesterOrg.organization.id}/contacts`, {
    token: requesterOrg.accessToken,
    body: { contactPerson: '李书记', mobile: REQUESTER_MOBILE },
  })
  await call('PUT', `/v1/listings/${listing.id}/private-details`, {
    token: providerOrg.accessToken,
    body: { arrivalNotes: '东门进', paymentTerms: `微信转账给张主任 ${PROVIDER_MOBILE}` },
  })
  await verifyPhone(stack, call, requester.accessToken, REQUESTER_MOBILE)

  const slots = await slotsAhead(call, listing.id)
  const booking = await bookSlot(call, requesterOrg.accessToken, {
    listingId: listing.id,
    organizationId: requesterOrg.organization.id,
    slot: slots[0]!,
    attendees: 12,
    purpose: '居民议事会',
  })
  await call('POST', `/v1/bookings/${booking.id}/accept`, { token: providerOrg.accessToken, body: {} })
  await eventually(async () => {
    const b = await call('GET', `/v1/bookings/${booking.id}`, { token: requesterOrg.accessToken })
    return b.contacts?.provider?.mobile === PROVIDER_MOBILE
  }, 'the confirmed booking shows the contacts to its parties')
  // People share numbers in their conversation; messaging's answers to anyone else must not carry them.
  let conversation: { id: string } | undefined
  await eventually(async () => {
    const res = await stack.call('POST', '/v1/conversations', {
      token: requesterOrg.accessToken,
      body: { subject: { type: 'booking', id: booking.id }, organizationId: requesterOrg.organization.id },
    })
    conversation = res.status < 300 ? res.body : undefined
    return conversation !== undefined
  }, 'messaging knows the booking')
  await call('POST', `/v1/conversations/${conversation!.id}/messages`, {
    token: requesterOrg.accessToken,
    headers: { 'idempotency-key': randomUUID() },
    body: { text: `我的手机 ${REQUESTER_MOBILE}，到了打给我` },
  })
  await stack.beginBooking(booking.id)
  await call('POST', `/v1/bookings/${booking.id}/complete`, { token: providerOrg.accessToken, body: {} })
  const need = await call('POST', '/v1/needs', {
    token: requesterOrg.accessToken,
    body: {
      organizationId: requesterOrg.organization.id,
      kind: 'venue',
      title: '议事会需要一间会议室',
      city: '上海',
      district: '浦东新区',
      window: { start: slots[1]!.start, end: slots[1]!.end },
    },
  })
  const { token: calendarToken } = await call(
    'POST',
    `/v1/calendars/organizations/${providerOrg.organization.id}/token`,
    { token: providerOrg.accessToken },
  )
  await eventually(
    async () => (await call('GET', `/v1/search?q=${encodeURIComponent('会议室')}`)).hits.length > 0,
    'search holds the listing',
  )

  const doc = await call('GET', '/openapi.json')
  const ids: Record<string, string[]> = {
    listings: [listing.id],
    organizations: [providerOrg.organization.id, requesterOrg.organization.id],
    needs: [need.id],
    members: [requester.user.id],
    // No activity, survey or photo exists here: their public pages answer 404, which must not leak either.
    activities: [randomUUID()],
    surveys: [randomUUID()],
    photos: ['0'.repeat(32)],
    // A data export's signed download: an unknown export and a forged link answer 403, never an archive.
    exports: [randomUUID()],
  }
  // Any window will do: the probes ask every operation with every query parameter filled in.
  const query: Record<string, string> = {
    from: new Date(Date.now() + 26 * 3600_000).toISOString(),
    to: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    q: '会议',
    token: calendarToken,
    expires: '4102444800',
    sig: 'forged-signature',
  }
  let checked = 0
  const walked: string[] = []
  for (const [template, operations] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    const op = operations.get
    if (!op || (op.security ?? doc.security ?? []).some((s: object) => Object.keys(s).length > 0)) continue
    walked.push(template)
    const required = (op.parameters ?? []).filter((p) => p.required && p.in === 'query').map((p) => p.name)
    t.ok(
      required.every((name) => name in query),
      `${template}: the test knows its query parameters`,
    )
    const search = new URLSearchParams(Object.fromEntries(required.map((n) => [n, query[n]!])))
    const segments = template.split('/')
    const param = segments.findIndex((s) => s.startsWith('{'))
    const values =
      param < 0 ? [''] : template.includes('{listingId}') ? ids.listings! : (ids[segments[param - 1]!] ?? [])
    t.ok(values.length > 0, `${template}: the test knows its path parameter`)
    for (const value of values) {
      const url = template.replace(/\{[^}]+\}/, value) + (search.size ? `?${search}` : '')
      for (const accept of ['application/json', 'text/csv']) {
        const res = await fetch(`${stack.base}${url}`, { headers: { accept } })
        const body = await res.text()
        t.ok(res.status < 500, `${url} answers (${res.status})`)
        t.notOk(body.includes(PROVIDER_MOBILE) || body.includes(REQUESTER_MOBILE), `${url} (${accept}) has no number`)
        checked += 1
      }
    }
  }
  t.ok(checked >= 40, `${checked} public answers searched`)
  for (const prefix of ['/v1/activities', '/v1/evaluations', '/v1/surveys', '/v1/notifications']) {
    t.ok(
      walked.some((p) => p.startsWith(prefix)),
      `the public operations under ${prefix} (community, messaging) are walked`,
    )
  }
})

interface Operation {
  security?: object[]
  parameters?: Array<{ name: string; in: string; required?: boolean }>
}
