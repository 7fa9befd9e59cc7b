import type { Pricing } from '@commons/contracts'
import { publishedVenue } from '@commons/testkit'
import t from 'tap'
import { type FitNeed, listingFitsNeed } from '../src/index.ts'

const now = new Date('2026-12-01T02:00:00Z')

const venue = (pricing?: Pricing) => publishedVenue({ pricing, rules: { bufferMinutes: 30 } })

// Thursday 10 December, 09:00–11:00 in Shanghai.
const need: FitNeed = {
  kind: 'venue',
  city: '上海',
  district: '浦东新区',
  attendees: 30,
  window: { start: '2026-12-10T01:00:00Z', end: '2026-12-10T03:00:00Z' },
}

t.test('a listing fits a need by kind, place, room, budget and a free window', async (t) => {
  t.ok(listingFitsNeed(venue(), need, [], now), 'the plain case fits')
  t.notOk(listingFitsNeed(venue(), { ...need, kind: 'expertise' }, [], now), 'another kind')
  t.notOk(listingFitsNeed(venue(), { ...need, district: '徐汇区' }, [], now), 'another district')
  t.notOk(listingFitsNeed(venue(), { ...need, attendees: 41 }, [], now), 'more people than seats')
  const fee = venue({ model: 'fee', unit: 'booking', price: { amount: 20_000, currency: 'CNY' } })
  t.notOk(listingFitsNeed(fee, need, [], now), 'a fee listing for a need without a budget')
  t.notOk(listingFitsNeed(fee, { ...need, budget: { amount: 19_999, currency: 'CNY' } }, [], now), 'over budget')
  t.ok(listingFitsNeed(fee, { ...need, budget: { amount: 20_000, currency: 'CNY' } }, [], now), 'within budget')
  const evening = { start: '2026-12-10T12:00:00Z', end: '2026-12-10T14:00:00Z' }
  t.notOk(listingFitsNeed(venue(), { ...need, window: evening }, [], now), 'outside the opening hours')
  const tooLong = { start: '2026-12-10T01:00:00Z', end: '2026-12-10T09:00:00Z' }
  t.notOk(listingFitsNeed(venue(), { ...need, window: tooLong }, [], now), 'longer than a booking may last')
  t.notOk(listingFitsNeed(venue(), need, [], new Date('2026-12-10T02:00:00Z')), 'a window already begun')
  // A booking ending at 08:45 local keeps the listing busy until 09:15 with its 30-minute buffer.
  const nearby = [{ start: new Date('2026-12-09T23:45:00Z'), end: new Date('2026-12-10T00:45:00Z') }]
  t.notOk(listingFitsNeed(venue(), need, nearby, now), 'a booking plus the buffer overlaps the window')
})
