import { Availability, BookingRules } from '@commons/contracts'
import fc from 'fast-check'
import t from 'tap'
import { bookableSlots, checkWindow, type Interval, openingIntervals } from '../src/index.ts'

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const everyDay = (start: string, end: string) =>
  Object.fromEntries(weekdays.map((d) => [d, [{ start, end }]])) as Availability['weekly']

const iso = (s: string) => new Date(s)
const show = (list: Interval[]) => list.map((i) => `${i.start.toISOString()}/${i.end.toISOString()}`)

t.test('openingIntervals', async (t) => {
  t.test('turns weekly hours in Asia/Shanghai into instants (UTC+8)', async (t) => {
    const availability = Availability.parse({
      timezone: 'Asia/Shanghai',
      weekly: { sat: [{ start: '09:00', end: '12:00' }] },
    })
    // 2026-11-28 is a Saturday.
    const got = openingIntervals(availability, iso('2026-11-23T00:00:00Z'), iso('2026-11-30T00:00:00Z'))
    t.same(show(got), ['2026-11-28T01:00:00.000Z/2026-11-28T04:00:00.000Z'])
  })

  t.test('a dated exception replaces or closes the day', async (t) => {
    const availability = Availability.parse({
      timezone: 'Asia/Shanghai',
      weekly: everyDay('09:00', '17:00'),
      exceptions: [
        { date: '2026-12-01', closed: true },
        { date: '2026-12-02', hours: [{ start: '13:00', end: '15:00' }] },
      ],
    })
    const got = openingIntervals(availability, iso('2026-11-30T16:00:00Z'), iso('2026-12-02T16:00:00Z'))
    t.same(show(got), ['2026-12-02T05:00:00.000Z/2026-12-02T07:00:00.000Z'])
  })

  t.test('clips to [from, to) and merges hours across midnight', async (t) => {
    const availability = Availability.parse({
      timezone: 'Asia/Shanghai',
      weekly: { fri: [{ start: '20:00', end: '24:00' }], sat: [{ start: '00:00', end: '02:00' }] },
    })
    const got = openingIntervals(availability, iso('2026-11-27T13:00:00Z'), iso('2026-11-27T17:00:00Z'))
    t.same(show(got), ['2026-11-27T13:00:00.000Z/2026-11-27T17:00:00.000Z'])
    const whole = openingIntervals(availability, iso('2026-11-26T00:00:00Z'), iso('2026-11-29T00:00:00Z'))
    t.same(show(whole), ['2026-11-27T12:00:00.000Z/2026-11-27T18:00:00.000Z'])
  })

  t.test('Europe/Berlin: the spring-forward day is an hour shorter, the fall-back day an hour longer', async (t) => {
    const availability = Availability.parse({
      timezone: 'Europe/Berlin',
      weekly: { sun: [{ start: '00:00', end: '24:00' }] },
    })
    // 2026-03-29 and 2026-10-25 are the Sundays of the changes.
    const spring = openingIntervals(availability, iso('2026-03-28T00:00:00Z'), iso('2026-03-31T00:00:00Z'))
    t.same(show(spring), ['2026-03-28T23:00:00.000Z/2026-03-29T22:00:00.000Z'])
    const fall = openingIntervals(availability, iso('2026-10-24T00:00:00Z'), iso('2026-10-27T00:00:00Z'))
    t.same(show(fall), ['2026-10-24T22:00:00.000Z/2026-10-25T23:00:00.000Z'])
  })

  t.test('hours inside the spring-forward gap are dropped; hours across it keep their real length', async (t) => {
    const availability = Availability.parse({
      timezone: 'Europe/Berlin',
      weekly: { sun: [{ start: '01:00', end: '04:00' }] },
      exceptions: [{ date: '2026-04-05', hours: [{ start: '02:00', end: '02:30' }] }],
    })
    const got = openingIntervals(availability, iso('2026-03-28T00:00:00Z'), iso('2026-04-06T00:00:00Z'))
    // 01:00 CET = 00:00Z; 04:00 CEST = 02:00Z: two real hours. 2026-04-05 02:00-02:30 exists (CEST) normally.
    t.same(show(got), [
      '2026-03-29T00:00:00.000Z/2026-03-29T02:00:00.000Z',
      '2026-04-05T00:00:00.000Z/2026-04-05T00:30:00.000Z',
    ])
  })

  t.test('Europe/Berlin: an hour that happens twice in autumn starts at its first occurrence', async (t) => {
    const availability = Availability.parse({
      timezone: 'Europe/Berlin',
      exceptions: [{ date: '2026-10-25', hours: [{ start: '02:00', end: '03:00' }] }],
    })
    const got = openingIntervals(availability, iso('2026-10-24T00:00:00Z'), iso('2026-10-26T00:00:00Z'))
    // 02:00 CEST = 00:00Z; 03:00 CET = 02:00Z: the repeated hour makes it two real hours.
    t.same(show(got), ['2026-10-25T00:00:00.000Z/2026-10-25T02:00:00.000Z'])
  })

  t.test('America/Santiago (DST at local midnight) and UTC', async (t) => {
    // Chile moves clocks from 24:00 to 01:00 on 2026-09-06: that day starts at 01:00 local (04:00Z).
    const chile = Availability.parse({
      timezone: 'America/Santiago',
      weekly: { sun: [{ start: '00:00', end: '02:00' }] },
    })
    t.same(show(openingIntervals(chile, iso('2026-09-05T00:00:00Z'), iso('2026-09-08T00:00:00Z'))), [
      '2026-09-06T04:00:00.000Z/2026-09-06T05:00:00.000Z',
    ])
    const utc = Availability.parse({ timezone: 'UTC', weekly: { mon: [{ start: '09:00', end: '10:00' }] } })
    t.same(show(openingIntervals(utc, iso('2026-11-23T00:00:00Z'), iso('2026-11-24T00:00:00Z'))), [
      '2026-11-23T09:00:00.000Z/2026-11-23T10:00:00.000Z',
    ])
  })
})

const rules = (over: Partial<BookingRules> = {}) =>
  BookingRules.parse({
    slotMinutes: 60,
    minDurationMinutes: 60,
    maxDurationMinutes: 180,
    minNoticeHours: 0,
    maxAdvanceDays: 90,
    ...over,
  })

t.test('bookableSlots', async (t) => {
  const availability = Availability.parse({ timezone: 'Asia/Shanghai', weekly: everyDay('09:00', '13:00') })
  const from = iso('2026-12-01T00:00:00+08:00')
  const to = iso('2026-12-02T00:00:00+08:00')
  const now = iso('2026-11-21T00:00:00Z')

  t.test('cuts opening hours into slots', async (t) => {
    const got = bookableSlots({ availability, rules: rules(), busy: [], bufferMinutes: 0, from, to, now })
    t.same(
      got.map((s) => s.start.toISOString()),
      ['2026-12-01T01:00:00.000Z', '2026-12-01T02:00:00.000Z', '2026-12-01T03:00:00.000Z', '2026-12-01T04:00:00.000Z'],
    )
  })

  t.test('leaves out a booking plus its buffer on both sides', async (t) => {
    const busy = [{ start: iso('2026-12-01T10:00:00+08:00'), end: iso('2026-12-01T11:00:00+08:00') }]
    const got = bookableSlots({ availability, rules: rules(), busy, bufferMinutes: 15, from, to, now })
    t.same(
      got.map((s) => s.start.toISOString()),
      ['2026-12-01T04:00:00.000Z'],
      '09:00 ends 45 min before the booking: too close; 11:00 starts right after it: too close',
    )
  })

  t.test('a free stretch shorter than the minimum duration offers nothing', async (t) => {
    const busy = [{ start: iso('2026-12-01T10:00:00+08:00'), end: iso('2026-12-01T11:00:00+08:00') }]
    const got = bookableSlots({
      availability,
      rules: rules({ minDurationMinutes: 120 }),
      busy,
      bufferMinutes: 0,
      from,
      to,
      now,
    })
    t.same(
      got.map((s) => s.start.toISOString()),
      ['2026-12-01T03:00:00.000Z', '2026-12-01T04:00:00.000Z'],
    )
  })

  t.test('respects minimum notice and maximum advance', async (t) => {
    const soon = iso('2026-12-01T10:30:00+08:00')
    const notice = bookableSlots({
      availability,
      rules: rules({ minNoticeHours: 1 }),
      busy: [],
      bufferMinutes: 0,
      from,
      to,
      now: soon,
    })
    t.same(
      notice.map((s) => s.start.toISOString()),
      ['2026-12-01T04:00:00.000Z'],
    )
    const far = bookableSlots({
      availability,
      rules: rules({ maxAdvanceDays: 1 }),
      busy: [],
      bufferMinutes: 0,
      from,
      to,
      now,
    })
    t.same(far, [])
  })
})

t.test('checkWindow names the rule a window breaks', async (t) => {
  const availability = Availability.parse({ timezone: 'Asia/Shanghai', weekly: everyDay('09:00', '18:00') })
  const now = iso('2026-11-30T09:00:00+08:00')
  const busyNone: Interval[] = []
  const base = {
    availability,
    rules: rules({ minNoticeHours: 24, maxAdvanceDays: 30 }),
    busy: busyNone,
    bufferMinutes: 30,
    now,
  }
  const at = (start: string, end: string, extra: Partial<typeof base> = {}) =>
    checkWindow({ ...base, ...extra, start: iso(`${start}+08:00`), end: iso(`${end}+08:00`) })
  t.same(at('2026-12-02T10:00:00', '2026-12-02T12:00:00'), { ok: true })
  t.match(at('2026-12-02T10:00:00', '2026-12-02T10:30:00'), { ok: false, refusal: 'too_short' })
  t.match(at('2026-12-02T09:00:00', '2026-12-02T13:00:00'), { ok: false, refusal: 'too_long' })
  t.match(at('2026-11-30T15:00:00', '2026-11-30T16:00:00'), { ok: false, refusal: 'min_notice' })
  t.match(at('2027-01-10T10:00:00', '2027-01-10T11:00:00'), { ok: false, refusal: 'max_advance' })
  t.match(at('2026-12-02T17:00:00', '2026-12-02T19:00:00'), { ok: false, refusal: 'outside_hours' })
  t.match(at('2026-12-02T10:30:00', '2026-12-02T11:30:00'), { ok: false, refusal: 'not_slot_aligned' })
  const busy = [{ start: iso('2026-12-02T12:00:00+08:00'), end: iso('2026-12-02T13:00:00+08:00') }]
  t.match(at('2026-12-02T13:00:00', '2026-12-02T14:00:00', { busy }), { ok: false, refusal: 'conflict' })
  t.same(at('2026-12-02T14:00:00', '2026-12-02T15:00:00', { busy }), { ok: true })
})

// Property tests: random weekly hours, bookings and buffers, in a zone with DST and one without, over
// windows that contain the European DST changes of 2026.
const zones = ['Europe/Berlin', 'Asia/Shanghai'] as const
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const arbDayHours = fc
  .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 48 }))
  .map(([a, len]) => ({ start: hhmm(a * 30), end: hhmm(Math.min(48, a + len) * 30) }))
const arbAvailability = fc
  .record({
    timezone: fc.constantFrom(...zones),
    days: fc.array(fc.tuple(fc.constantFrom(...weekdays), arbDayHours), { maxLength: 7 }),
  })
  .map(({ timezone, days }) =>
    Availability.parse({ timezone, weekly: Object.fromEntries(days.map(([d, h]) => [d, [h]])) }),
  )
const arbRules = fc
  .record({
    slot: fc.constantFrom(15, 30, 60),
    min: fc.integer({ min: 1, max: 4 }),
    extra: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ slot, min, extra }) =>
    rules({
      slotMinutes: slot,
      minDurationMinutes: slot * min,
      maxDurationMinutes: slot * (min + extra),
      maxAdvanceDays: 365,
    }),
  )
const arbWindowStart = fc.constantFrom('2026-03-26T00:00:00Z', '2026-10-22T00:00:00Z', '2026-06-01T00:00:00Z')
const arbBusy = (from: Date) =>
  fc.array(
    fc.tuple(fc.integer({ min: 0, max: 7 * 96 }), fc.integer({ min: 1, max: 16 })).map(([q, len]) => ({
      start: new Date(from.getTime() + q * 15 * 60_000),
      end: new Date(from.getTime() + (q + len) * 15 * 60_000),
    })),
    { maxLength: 8 },
  )

t.test('properties across DST changes (Europe/Berlin) and without (Asia/Shanghai)', async (t) => {
  const scenario = arbWindowStart.chain((start) => {
    const from = new Date(start)
    return fc.record({
      availability: arbAvailability,
      rules: arbRules,
      busy: arbBusy(from),
      bufferMinutes: fc.constantFrom(0, 15, 30),
      from: fc.constant(from),
    })
  })

  t.test('no slot overlaps a booking plus its buffer, and every slot lies inside opening hours', async (t) => {
    fc.assert(
      fc.property(scenario, ({ availability, rules, busy, bufferMinutes, from }) => {
        const to = new Date(from.getTime() + 7 * 86_400_000)
        const now = new Date(from.getTime() - 86_400_000)
        const slots = bookableSlots({ availability, rules, busy, bufferMinutes, from, to, now })
        const open = openingIntervals(availability, from, to)
        const b = bufferMinutes * 60_000
        for (const s of slots) {
          if (s.end.getTime() - s.start.getTime() !== rules.slotMinutes * 60_000) return false
          for (const x of busy) {
            if (s.start.getTime() < x.end.getTime() + b && s.end.getTime() > x.start.getTime() - b) return false
          }
          if (!open.some((o) => o.start <= s.start && o.end >= s.end)) return false
        }
        for (let i = 1; i < slots.length; i++) if (slots[i]!.start < slots[i - 1]!.end) return false
        return true
      }),
      { numRuns: 300 },
    )
    t.pass('300 random scenarios hold')
  })

  t.test('every slot starts a window, or lies in one, that checkWindow accepts', async (t) => {
    fc.assert(
      fc.property(scenario, ({ availability, rules, busy, bufferMinutes, from }) => {
        const to = new Date(from.getTime() + 7 * 86_400_000)
        const now = new Date(from.getTime() - 86_400_000)
        const slots = bookableSlots({ availability, rules, busy, bufferMinutes, from, to, now })
        const slot = rules.slotMinutes * 60_000
        return slots.every((s) => {
          // Some window of a permitted length that contains this slot and starts on the grid is accepted.
          for (let back = 0; back < rules.maxDurationMinutes * 60_000; back += slot) {
            for (let len = rules.minDurationMinutes * 60_000; len <= rules.maxDurationMinutes * 60_000; len += slot) {
              const start = new Date(s.start.getTime() - back)
              const end = new Date(start.getTime() + len)
              if (end < s.end) continue
              if (checkWindow({ availability, rules, busy, bufferMinutes, start, end, now }).ok) return true
            }
          }
          return false
        })
      }),
      { numRuns: 150 },
    )
    t.pass('150 random scenarios hold')
  })

  t.test('a window that checkWindow accepts never overlaps a booking plus its buffer', async (t) => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 7 * 96 }), fc.integer({ min: 1, max: 16 }), (sc, q, len) => {
        const start = new Date(sc.from.getTime() + q * 15 * 60_000)
        const end = new Date(start.getTime() + len * 15 * 60_000)
        const now = new Date(sc.from.getTime() - 86_400_000)
        const verdict = checkWindow({ ...sc, start, end, now })
        if (!verdict.ok) return true
        const b = sc.bufferMinutes * 60_000
        return sc.busy.every((x) => !(start.getTime() < x.end.getTime() + b && end.getTime() > x.start.getTime() - b))
      }),
      { numRuns: 500 },
    )
    t.pass('500 random windows hold')
  })
})
