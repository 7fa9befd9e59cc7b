import { Availability, BookingRules } from '@commons/contracts'
import fc from 'fast-check'
import t from 'tap'
import {
  bookableSlots,
  checkWindow,
  type Interval,
  openingIntervals,
  openingPlan,
  openingPlanFor,
} from '../src/index.ts'
import * as reference from './fixtures/reference.ts'

// The interval sweep over cached opening spans must answer exactly what the straightforward version did.

const MINUTE = 60_000
const DAY = 1440 * MINUTE
const show = (list: Interval[]) => list.map((i) => `${i.start.toISOString()}/${i.end.toISOString()}`)
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
// Zones with DST at night, at midnight (Santiago, Havana), of half an hour (Lord Howe), and without DST.
const zones = [
  'Asia/Shanghai',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'America/Havana',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
] as const

/** A minute of the day: often on the quarter hour, often at either end of the day. */
const arbCut = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 96 }).map((q) => q * 15), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 1440 }), weight: 2 },
  { arbitrary: fc.constantFrom(0, 1440), weight: 2 },
)

/** Up to five opening hours of a day, apart or touching (as the schema allows), in any order. */
const arbDayHours = fc
  .tuple(fc.uniqueArray(arbCut, { minLength: 2, maxLength: 6 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }))
  .chain(([cuts, touch]) => {
    const sorted = [...cuts].sort((a, b) => a - b)
    const hours = []
    for (let i = 0; i + 1 < sorted.length; i += touch[i] ? 1 : 2) {
      hours.push({ start: hhmm(sorted[i]!), end: hhmm(sorted[i + 1]!) })
    }
    return fc.shuffledSubarray(hours, { minLength: hours.length, maxLength: hours.length })
  })

const BASE = Date.parse('2026-01-01T00:00:00Z')

const arbScenario = fc
  .record({
    timezone: fc.constantFrom(...zones),
    weekly: fc.array(fc.tuple(fc.constantFrom(...weekdays), arbDayHours), { maxLength: 7, size: 'max' }),
    // Window start: any minute of 2026 and early 2027, so DST changes of every zone above fall inside some.
    fromMinute: fc.integer({ min: 0, max: 420 * 1440 }),
    lengthMinutes: fc.oneof(fc.integer({ min: 1, max: 3 * 1440 }), fc.integer({ min: 1, max: 40 * 1440 })),
    exceptions: fc.array(
      fc.record({
        day: fc.integer({ min: -2, max: 42 }),
        closed: fc.boolean(),
        hours: arbDayHours,
      }),
      { maxLength: 4 },
    ),
    slot: fc.constantFrom(15, 30, 45, 60, 90, 120),
    min: fc.integer({ min: 1, max: 4 }),
    extra: fc.integer({ min: 0, max: 6 }),
    minNoticeHours: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 72 })),
    maxAdvanceDays: fc.oneof(fc.constant(365), fc.integer({ min: 1, max: 365 })),
    nowMinutesBefore: fc.oneof(fc.integer({ min: 0, max: 1440 }), fc.integer({ min: -5 * 1440, max: 30 * 1440 })),
    bufferMinutes: fc.constantFrom(0, 5, 15, 30, 240),
    busy: fc.array(
      fc.tuple(
        // Where in the window (from a day before to a day after), on the quarter hour or any minute.
        fc.tuple(
          fc.integer({ min: 0, max: 9999 }).map((n) => n / 9999),
          fc.boolean(),
        ),
        fc.oneof(
          fc.integer({ min: 1, max: 8 }).map((q) => q * 15),
          fc.integer({ min: 1, max: 3 * 60 }),
        ),
        // A second booking right where the first one's buffer ends (touching it, or a minute either way).
        fc.constantFrom(null, -1, 0, 1),
      ),
      { maxLength: 40 },
    ),
    windows: fc.array(fc.tuple(fc.integer({ min: -200, max: 4000 }), fc.integer({ min: 1, max: 40 })), {
      minLength: 1,
      maxLength: 5,
    }),
    // Windows that start around where a booking's buffer ends: where a conflict is decided.
    nearBusy: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -30, max: 30 })), { maxLength: 5 }),
  })
  .map((sc) => {
    const from = new Date(BASE + sc.fromMinute * MINUTE)
    const to = new Date(from.getTime() + sc.lengthMinutes * MINUTE)
    const fromDay = Math.floor(from.getTime() / DAY) * DAY
    const exceptionDates = new Map<string, (typeof sc.exceptions)[number]>()
    for (const e of sc.exceptions) exceptionDates.set(new Date(fromDay + e.day * DAY).toISOString().slice(0, 10), e)
    const availability = Availability.parse({
      timezone: sc.timezone,
      weekly: Object.fromEntries(sc.weekly),
      exceptions: [...exceptionDates].map(([date, e]) =>
        e.closed ? { date, closed: true } : { date, hours: e.hours },
      ),
    })
    const rules = BookingRules.parse({
      slotMinutes: sc.slot,
      minDurationMinutes: sc.slot * sc.min,
      maxDurationMinutes: sc.slot * (sc.min + sc.extra),
      minNoticeHours: sc.minNoticeHours,
      maxAdvanceDays: sc.maxAdvanceDays,
    })
    const busy = sc.busy.flatMap(([[where, quarter], len, follow]) => {
      let start = Math.floor(where * (sc.lengthMinutes + 2 * 1440)) - 1440
      if (quarter) start -= (from.getTime() / MINUTE + start) % 15
      const first = { start: from.getTime() + start * MINUTE, end: from.getTime() + (start + len) * MINUTE }
      const list = [first]
      if (follow !== null) {
        const next = first.end + (2 * sc.bufferMinutes + follow) * MINUTE
        if (next >= first.end) list.push({ start: next, end: next + len * MINUTE })
      }
      return list.map((b) => ({ start: new Date(b.start), end: new Date(b.end) }))
    })
    const now = new Date(from.getTime() - sc.nowMinutesBefore * MINUTE)
    const windows = sc.windows.map(([q, len]) => ({
      start: new Date(from.getTime() + q * 15 * MINUTE),
      end: new Date(from.getTime() + (q + len) * 15 * MINUTE),
    }))
    for (const [pick, shift] of busy.length > 0 ? sc.nearBusy : []) {
      const start = busy[pick % busy.length]!.end.getTime() + (sc.bufferMinutes + shift) * MINUTE
      windows.push({ start: new Date(start), end: new Date(start + sc.slot * sc.min * MINUTE) })
    }
    return { availability, rules, busy, bufferMinutes: sc.bufferMinutes, from, to, now, windows }
  })

t.test('bookableSlots equals the reference on random hours, exceptions, rules, bookings and zones', async (t) => {
  let version = 0
  fc.assert(
    fc.property(arbScenario, ({ windows: _, ...input }) => {
      const expected = show(reference.bookableSlots(input))
      if (JSON.stringify(show(bookableSlots(input))) !== JSON.stringify(expected)) return false
      // Asked again (the plan and its day cache now warm) and through a plan built apart: same answer.
      // A key names one listing version, so every scenario gets its own.
      const plan = openingPlanFor(`listing@${++version}`, input.availability)
      // Busy ranges sorted by start, as the services read them, take the one-pass merge.
      const sorted = [...input.busy].sort((a, b) => a.start.getTime() - b.start.getTime())
      return (
        JSON.stringify(show(bookableSlots(input))) === JSON.stringify(expected) &&
        JSON.stringify(show(bookableSlots({ ...input, busy: sorted }))) === JSON.stringify(expected) &&
        JSON.stringify(show(bookableSlots({ ...input, availability: plan }))) === JSON.stringify(expected)
      )
    }),
    { numRuns: 500 },
  )
  t.pass('500 random scenarios agree')
})

t.test('openingIntervals and checkWindow equal the reference', async (t) => {
  fc.assert(
    fc.property(arbScenario, ({ windows, ...input }) => {
      const opening = show(openingIntervals(openingPlan(input.availability), input.from, input.to))
      if (
        JSON.stringify(opening) !==
        JSON.stringify(show(reference.openingIntervals(input.availability, input.from, input.to)))
      )
        return false
      return windows.every(
        (w) =>
          JSON.stringify(checkWindow({ ...input, ...w })) === JSON.stringify(reference.checkWindow({ ...input, ...w })),
      )
    }),
    { numRuns: 300 },
  )
  t.pass('300 random scenarios agree')
})

t.test('the benchmark scenario: 90 days open 08:00-22:00, 500 bookings, a 15-minute buffer', async (t) => {
  const availability = Availability.parse({
    timezone: 'Asia/Shanghai',
    weekly: Object.fromEntries(weekdays.map((d) => [d, [{ start: '08:00', end: '22:00' }]])),
  })
  const rules = BookingRules.parse({ slotMinutes: 60, maxDurationMinutes: 240, minNoticeHours: 0, maxAdvanceDays: 365 })
  const from = new Date('2026-11-23T00:00:00+08:00')
  const to = new Date(from.getTime() + 90 * DAY)
  const busy: Interval[] = []
  for (let day = 0; busy.length < 500; day++) {
    for (let k = 0; k < 6 && busy.length < 500; k++) {
      const start = new Date(from.getTime() + day * DAY + (8 + 2 * k) * 3600_000)
      busy.push({ start, end: new Date(start.getTime() + 3600_000) })
    }
  }
  const input = { availability, rules, busy: busy.reverse(), bufferMinutes: 15, from, to, now: new Date('2026-11-21Z') }
  const got = show(bookableSlots(input))
  t.equal(got.length, 260)
  t.same(got, show(reference.bookableSlots(input)))
})
