import t from 'tap'
import {
  Availability,
  BookingRules,
  CreateNeedBody,
  ListingFields,
  normalizeCity,
  Pricing,
  SearchQuery,
} from '../src/index.ts'

const venue = {
  kind: 'venue',
  title: '社区党群服务中心多功能会议室',
  location: { city: '上海', district: '浦东新区', address: '张杨路 500 号', lat: 31.2303, lng: 121.5258 },
  capacity: 60,
  amenities: ['projector', 'wifi'],
}

const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? []

t.test('a minimal venue is valid and gets default rules, pricing and availability', async (t) => {
  const parsed = ListingFields.parse(venue)
  t.equal(parsed.kind, 'venue')
  t.same(parsed.pricing, { model: 'free' })
  t.equal(parsed.rules.mode, 'request')
  t.equal(parsed.availability.timezone, 'Asia/Shanghai')
})

t.test(
  'a venue without an address names the missing field; coordinates are optional (the district places it)',
  async (t) => {
    const { lat: _lat, lng: _lng, address: _a, ...bare } = venue.location
    t.same(paths(ListingFields.safeParse({ ...venue, location: bare })).sort(), ['location.address'])
  },
)

t.test('online expertise needs no address; onsite expertise does', async (t) => {
  const expertise = {
    kind: 'expertise',
    title: '劳动法律咨询',
    location: { city: '深圳', district: '南山区' },
    topics: ['劳动合同'],
    formats: ['consultation'],
    delivery: 'online',
  }
  t.ok(ListingFields.safeParse(expertise).success)
  t.same(paths(ListingFields.safeParse({ ...expertise, delivery: 'onsite' })), ['location.address'])
})

t.test('fields of another kind are refused as unknown', async (t) => {
  const result = ListingFields.safeParse({ ...venue, skills: ['急救'] })
  t.notOk(result.success)
})

t.test('a fee must be positive; free needs no price', async (t) => {
  t.notOk(Pricing.safeParse({ model: 'fee', unit: 'hour', price: { amount: 0, currency: 'CNY' } }).success)
  t.ok(Pricing.safeParse({ model: 'fee', unit: 'hour', price: { amount: 5000, currency: 'CNY' } }).success)
  t.notOk(Pricing.safeParse({ model: 'free', price: { amount: 5000, currency: 'CNY' } }).success)
})

t.test('booking rules: min <= max and durations in whole slots', async (t) => {
  t.same(paths(BookingRules.safeParse({ minDurationMinutes: 240, maxDurationMinutes: 60 })), ['minDurationMinutes'])
  t.same(paths(BookingRules.safeParse({ slotMinutes: 45, minDurationMinutes: 60, maxDurationMinutes: 90 })), [
    'slotMinutes',
  ])
})

t.test('weekly hours of one day must not overlap; zones must be IANA', async (t) => {
  const overlapping = {
    weekly: {
      mon: [
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '14:00' },
      ],
    },
  }
  t.same(paths(Availability.safeParse(overlapping)), ['weekly.mon'])
  t.ok(
    Availability.safeParse({
      weekly: {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '24:00' },
        ],
      },
    }).success,
  )
  t.same(paths(Availability.safeParse({ timezone: 'Mars/Olympus' })), ['timezone'])
  t.ok(Availability.safeParse({ timezone: 'Europe/Berlin' }).success)
})

t.test('a closed exception has no hours and dates are unique', async (t) => {
  t.notOk(
    Availability.safeParse({
      exceptions: [{ date: '2026-12-01', closed: true, hours: [{ start: '09:00', end: '10:00' }] }],
    }).success,
  )
  t.notOk(
    Availability.safeParse({
      exceptions: [
        { date: '2026-12-01', closed: true },
        { date: '2026-12-01', closed: true },
      ],
    }).success,
  )
})

t.test('a city has one spelling, so "上海市" and "上海" match each other in search and matching', async (t) => {
  const formal = ListingFields.parse({ ...venue, location: { ...venue.location, city: ' 上海市 ' } })
  t.equal(formal.location.city, '上海')
  t.equal(CreateNeedBody.shape.city.parse('深圳市'), '深圳')
  t.equal(SearchQuery.parse({ city: '重庆市,上海' }).city?.join(), '重庆,上海')
  t.equal(normalizeCity('沙市'), '沙市', 'a two-character name keeps its 市')
})
