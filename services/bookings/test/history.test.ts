import type { Pricing } from '@commons/contracts'
import t from 'tap'
import { act, bearer, book, makeListing, parties, testApp, tokenFor } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'
const HOUR = 3600_000

interface Entry {
  action: string
  fromStatus: string | null
  toStatus: string
  at: string
  reason: string | null
  by: string
}

async function setup(t: Parameters<typeof testApp>[0], over: Parameters<typeof makeListing>[0] = {}) {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing(over)
  await h.publish(listing)
  const p = await parties(listing)
  let day = 0
  /** Books one hour on a fresh day (10:00-11:00 Shanghai) as `token` (the requester by default). */
  const newBooking = async (token = p.requester.token) => {
    const start = `2026-12-${String(++day).padStart(2, '0')}T10:00`
    const res = await book(h.app, token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start,
      end: start.replace('T10:00', 'T11:00'),
    })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json() as { id: string; start: string; end: string }
  }
  const history = (id: string, token?: string) =>
    h.app.inject({ method: 'GET', url: `/v1/bookings/${id}/history`, headers: token ? bearer(token) : {} })
  const entries = async (id: string) => (await history(id, p.moderator.token)).json().items as Entry[]
  const steps = async (id: string) => (await entries(id)).map((e) => [e.action, e.fromStatus, e.toStatus, e.by])
  return { h, listing, p, newBooking, history, entries, steps }
}

t.test('booking history', async (t) => {
  const { h, listing, p, newBooking, history, entries, steps } = await setup(t)

  t.test('starts with the creation and lists every step oldest first, actors by role', async (t) => {
    const b = await newBooking()
    h.clock.advance(HOUR)
    await act(h.app, p.provider.token, b.id, 'accept')
    h.clock.advance(HOUR)
    await act(h.app, p.requester.token, b.id, 'cancel', '活动改期')
    h.clock.set(NOW)
    const res = await history(b.id, p.requester.token)
    t.equal(res.statusCode, 200, res.body)
    t.same(res.json().items, [
      {
        action: 'create',
        fromStatus: null,
        toStatus: 'requested',
        at: NOW.replace('Z', '.000Z'),
        reason: null,
        by: 'requester',
      },
      {
        action: 'accept',
        fromStatus: 'requested',
        toStatus: 'confirmed',
        at: '2026-11-21T01:00:00.000Z',
        reason: null,
        by: 'provider',
      },
      {
        action: 'cancel',
        fromStatus: 'confirmed',
        toStatus: 'cancelled',
        at: '2026-11-21T02:00:00.000Z',
        reason: '活动改期',
        by: 'requester',
      },
    ])
    t.notMatch(res.body, p.requester.userId, 'no user id is exposed')
    t.notMatch(res.body, p.provider.userId, 'no user id is exposed')
  })

  t.test('participants and moderators read it; strangers get 404; without a token 401', async (t) => {
    const b = await newBooking()
    for (const token of [p.requester.token, p.provider.token, p.moderator.token]) {
      t.equal((await history(b.id, token)).statusCode, 200)
    }
    const stranger = await history(b.id, p.stranger.token)
    t.equal(stranger.statusCode, 404)
    t.equal(stranger.json().code, 'booking_not_found')
    t.equal((await history('00000000-0000-4000-8000-000000000000', p.moderator.token)).statusCode, 404)
    t.equal((await history(b.id)).statusCode, 401)
  })

  t.test('moderator overrides and timers appear as moderator and system', async (t) => {
    const overridden = await newBooking()
    await act(h.app, p.moderator.token, overridden.id, 'accept', '运营协助确认')
    t.same((await steps(overridden.id)).at(-1), ['accept', 'requested', 'confirmed', 'moderator'])

    const expiring = await newBooking()
    h.clock.advance(49 * HOUR)
    await h.app.bookings.runDueJobs()
    h.clock.set(NOW)
    const last = (await entries(expiring.id)).at(-1)
    t.match(last, { action: 'request_expire', fromStatus: 'requested', toStatus: 'expired', by: 'system' })
  })

  t.test('a cancellation counts for the side the canceller acts for, not for the user who booked', async (t) => {
    const groupMember = await tokenFor({ roles: { [p.requesterOrg]: 'member' } })
    const a = await newBooking()
    await act(h.app, groupMember, a.id, 'cancel')
    t.same((await steps(a.id)).at(-1), ['cancel', 'requested', 'cancelled', 'requester'], 'another member of the group')

    const both = await tokenFor({ roles: { [listing.organizationId]: 'owner', [p.requesterOrg]: 'member' } })
    const b = await newBooking()
    await act(h.app, both, b.id, 'accept')
    await act(h.app, both, b.id, 'cancel')
    t.same(
      (await steps(b.id)).slice(1),
      [
        ['accept', 'requested', 'confirmed', 'provider'],
        ['cancel', 'confirmed', 'cancelled', 'requester'],
      ],
      'someone in both organizations accepts as the provider and cancels as the requester (as the refund does)',
    )

    const c = await newBooking()
    await act(h.app, p.provider.token, c.id, 'cancel')
    t.same((await steps(c.id)).at(-1), ['cancel', 'requested', 'cancelled', 'provider'])
  })

  t.test('a refused action leaves no entry', async (t) => {
    const b = await newBooking()
    t.equal((await act(h.app, p.requester.token, b.id, 'accept')).statusCode, 403)
    t.equal((await act(h.app, p.provider.token, b.id, 'complete')).statusCode, 409)
    t.same(await steps(b.id), [['create', null, 'requested', 'requester']])
  })
})

t.test('booking history of money steps', async (t) => {
  const pricing: Pricing = {
    model: 'fee',
    unit: 'booking',
    price: { amount: 10_000, currency: 'CNY' },
    deposit: { amount: 50_000, currency: 'CNY' },
  }
  const { h, p, newBooking, entries } = await setup(t, { pricing })
  const post = (url: string, token: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: bearer(token), payload })
  const pay = (id: string, token = p.provider.token) =>
    post(`/v1/bookings/${id}/payment`, token, { method: 'bank_transfer', reference: 'TX-01' })

  t.test('a recorded offline payment and a damage report are steps of their own', async (t) => {
    const b = await newBooking()
    t.equal((await pay(b.id, p.requester.token)).statusCode, 403)
    t.equal((await pay(b.id)).statusCode, 200)
    t.equal((await pay(b.id)).json().code, 'payment_not_due')
    await act(h.app, p.provider.token, b.id, 'accept')
    h.clock.set(new Date(Date.parse(b.end) + HOUR))
    await act(h.app, p.provider.token, b.id, 'complete')
    const tooMuch = await post(`/v1/bookings/${b.id}/damage`, p.provider.token, { amount: 60_000, reason: '桌椅损坏' })
    t.equal(tooMuch.statusCode, 422)
    const damage = await post(`/v1/bookings/${b.id}/damage`, p.provider.token, { amount: 20_000, reason: '桌椅损坏' })
    t.equal(damage.statusCode, 200, damage.body)
    h.clock.set(NOW)
    t.same(
      (await entries(b.id)).map((e) => [e.action, e.fromStatus, e.toStatus, e.reason, e.by]),
      [
        ['create', null, 'requested', null, 'requester'],
        ['record_payment', 'requested', 'requested', 'bank_transfer: TX-01', 'provider'],
        ['accept', 'requested', 'confirmed', null, 'provider'],
        ['complete', 'confirmed', 'completed', null, 'provider'],
        ['report_damage', 'completed', 'completed', '20000: 桌椅损坏', 'provider'],
      ],
      'refused requests left nothing behind',
    )
  })

  t.test('a payment recorded by a moderator is the moderator’s step', async (t) => {
    const b = await newBooking()
    t.equal((await pay(b.id, p.moderator.token)).statusCode, 200)
    t.match((await entries(b.id)).at(-1), { action: 'record_payment', by: 'moderator' })
  })

  t.test('the deposit released when the damage window closes is the system’s step', async (t) => {
    const b = await newBooking()
    await act(h.app, p.provider.token, b.id, 'accept')
    h.clock.set(new Date(Date.parse(b.end) + HOUR))
    await act(h.app, p.provider.token, b.id, 'complete')
    h.clock.set(new Date(Date.parse(b.end) + 49 * HOUR))
    await h.app.bookings.runDueJobs()
    h.clock.set(NOW)
    t.match((await entries(b.id)).at(-1), {
      action: 'release_deposit',
      fromStatus: 'completed',
      toStatus: 'completed',
      reason: 'timer:deposit_release',
      by: 'system',
    })
  })
})
