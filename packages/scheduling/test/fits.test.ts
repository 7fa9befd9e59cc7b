import { Listing } from '@commons/contracts'
import t from 'tap'
import { type FitNeed, listingFitsNeed } from '../src/index.ts'

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const now = new Date('2026-12-01T02:00:00Z')

const venue = (pricing: unknown = { model: 'free' }) =>
  Listing.parse({
    id: '01a22f58-9762-7ead-b1ce-d7fee65d467f',
    organizationId: '01a22f58-866b-7d62-8176-a1342fb16c62',
    kind: 'venue',
    title: '多功能厅',
    description: '',
    tags: [],
    photos: [],
    location: { city: '上海', district: '浦东新区', address: '世纪大道 1 号', lat: 31.2, lng: 121.5 },
    capacity: 40,
    amenities: [],
    pricing,
    rules: {
      mode: 'request',
      slotMinutes: 60,
      minDurationMinutes: 60,
      maxDurationMinutes: 240,
      minNoticeHours: 24,
      maxAdvanceDays: 90,
      bufferMinutes: 30,
      cancellationPolicy: 'moderate',
    },
    availability: {
      timezone: 'Asia/Shanghai',
      weekly: Object.fromEntries(weekdays.map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
    },
    status: 'published',
    version: 2,
    rejectionReason: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    publishedAt: '2026-11-01T00:00:00Z',
  })

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
