import type { Pricing } from '@commons/contracts'
import t from 'tap'
import { act, bearer, book, makeListing, parties, testApp, tokenFor } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'
const HOUR = 3600_000

t.test('refund preview', async (t) => {
  const pricing: Pricing = {
    model: 'fee',
    unit: 'hour',
    price: { amount: 10_001, currency: 'CNY' },
    deposit: { amount: 50_000, currency: 'CNY' },
  }
  const h = await testApp(t, { now: NOW })
  const listing = makeListing({ pricing, rules: { cancellationPolicy: 'moderate' } })
  await h.publish(listing)
  const p = await parties(listing)
  let day = 0
  const newBooking = async () => {
    const start = `2026-12-${String(++day).padStart(2, '0')}T10:00`
    const res = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start,
      end: start.replace('T10:00', 'T11:00'),
    })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json() as { id: string; start: string; end: string }
  }
  const pay = (id: string) =>
    h.app.inject({
      method: 'POST',
      url: `/v1/bookings/${id}/payment`,
      headers: bearer(p.provider.token),
      payload: { method: 'cash', reference: '收据 001' },
    })
  const preview = (id: string, token?: string) =>
    h.app.inject({ method: 'GET', url: `/v1/bookings/${id}/refund-preview`, headers: token ? bearer(token) : {} })

  t.test('previews exactly what the requester’s cancellation then refunds, by the listing policy', async (t) => {
    const cases: Array<[number, number, number]> = [
      [80, 1, 10_001],
      [48, 0.5, 5_000],
      [10, 0, 0],
    ]
    for (const [hoursBefore, share, amount] of cases) {
      const b = await newBooking()
      await pay(b.id)
      h.clock.set(new Date(Date.parse(b.start) - hoursBefore * HOUR))
      const res = await preview(b.id, p.requester.token)
      t.equal(res.statusCode, 200, res.body)
      t.same(res.json(), {
        policy: 'moderate',
        share,
        amount,
        currency: 'CNY',
        depositReleased: 50_000,
        cancellable: true,
      })
      const cancelled = await act(h.app, p.requester.token, b.id, 'cancel')
      t.equal(cancelled.json().refundedAmount, res.json().amount, `${hoursBefore} h before: the cancel agrees`)
      h.clock.set(NOW)
    }
  })

  t.test('the provider’s and a moderator’s cancellation refund everything', async (t) => {
    const b = await newBooking()
    await pay(b.id)
    h.clock.set(new Date(Date.parse(b.start) - 2 * HOUR))
    for (const token of [p.provider.token, p.moderator.token]) {
      t.match((await preview(b.id, token)).json(), { share: 1, amount: 10_001, cancellable: true })
    }
    t.match((await preview(b.id, p.requester.token)).json(), { share: 0, amount: 0 }, 'the requester gets nothing')
    h.clock.set(NOW)
  })

  t.test('nothing is refunded while nothing was paid, whatever the share', async (t) => {
    const b = await newBooking()
    h.clock.set(new Date(Date.parse(b.start) - 48 * HOUR))
    t.same((await preview(b.id, p.requester.token)).json(), {
      policy: 'moderate',
      share: 0.5,
      amount: 0,
      currency: 'CNY',
      depositReleased: 50_000,
      cancellable: true,
    })
    t.equal((await act(h.app, p.requester.token, b.id, 'cancel')).json().refundedAmount, 0)
    h.clock.set(NOW)
  })

  t.test('a booking past cancelling answers cancellable: false, not an error', async (t) => {
    const cancelled = await newBooking()
    await pay(cancelled.id)
    await act(h.app, p.requester.token, cancelled.id, 'cancel')
    const completed = await newBooking()
    await pay(completed.id)
    await act(h.app, p.provider.token, completed.id, 'accept')
    h.clock.set(new Date(Date.parse(completed.end) + HOUR))
    await act(h.app, p.provider.token, completed.id, 'complete')
    for (const b of [cancelled, completed]) {
      const res = await preview(b.id, p.requester.token)
      t.equal(res.statusCode, 200, res.body)
      t.same(res.json(), {
        policy: 'moderate',
        share: 0,
        amount: 0,
        currency: 'CNY',
        depositReleased: 0,
        cancellable: false,
      })
    }
    h.clock.set(NOW)
  })

  t.test(
    'only those who may cancel: 401 without a token, 404 for strangers, 403 for a plain provider member',
    async (t) => {
      const b = await newBooking()
      t.equal((await preview(b.id)).statusCode, 401)
      const stranger = await preview(b.id, p.stranger.token)
      t.equal(stranger.statusCode, 404)
      t.equal(stranger.json().code, 'booking_not_found')
      const member = await tokenFor({ roles: { [listing.organizationId]: 'member' } })
      t.equal((await preview(b.id, member)).statusCode, 403, 'sees the booking but may not cancel it')
      t.equal((await preview('00000000-0000-4000-8000-000000000000', p.moderator.token)).statusCode, 404)
    },
  )
})
