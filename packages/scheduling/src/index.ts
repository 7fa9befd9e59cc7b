import type { Availability, BookingRules, Weekday } from '@commons/contracts'

/*
 * Availability math, pure and shared by bookings (what may be booked) and discovery (the search
 * availability filter). Local wall-clock hours are turned into instants in the listing's IANA zone with
 * the runtime's time-zone data (Intl), so daylight-saving changes are handled: a day of 23 or 25 hours gives
 * opening intervals of the real length, local times that do not exist (the spring gap) move forward as the
 * zone does, and an ambiguous time (the autumn repeat) is its first occurrence.
 *
 * Buffers: a booking [start, end) keeps the listing free of other bookings on [start - buffer, end + buffer),
 * i.e. two bookings are at least `buffer` apart. The database guard stores [start, end + buffer) per
 * booking, which enforces exactly the same gap.
 */

/** A half-open time range [start, end) of instants. */
export interface Interval {
  start: Date
  end: Date
}

/** Why a window cannot be booked (the rule it breaks). */
export type Refusal =
  | 'outside_hours'
  | 'min_notice'
  | 'max_advance'
  | 'too_short'
  | 'too_long'
  | 'not_slot_aligned'
  | 'conflict'

/** What {@link bookableSlots} needs. */
export interface SlotsInput {
  availability: Availability
  rules: BookingRules
  /** Slot-holding bookings of the listing, WITHOUT their buffers. */
  busy: Interval[]
  bufferMinutes: number
  from: Date
  to: Date
  now: Date
}

/** What {@link checkWindow} needs. */
export interface WindowInput {
  availability: Availability
  rules: BookingRules
  busy: Interval[]
  bufferMinutes: number
  start: Date
  end: Date
  now: Date
}

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

/** An opening run: merged opening intervals, with the instant its slot grid starts from. */
interface Run extends Interval {
  /** Start of the first opening segment of the run; slots start at anchor + k × slot. */
  anchor: Date
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))

// Formatters are costly to build and immutable: one per zone for the life of the process.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(zone, f)
  }
  return f
}

/** The wall clock of `zone` at instant `t`, as if it were UTC (ms). */
function wallClock(zone: string, t: number): number {
  const v: Record<string, number> = {}
  for (const part of formatterOf(zone).formatToParts(new Date(t))) v[part.type] = Number(part.value)
  return Date.UTC(v.year!, v.month! - 1, v.day!, v.hour!, v.minute!, v.second!)
}

/** The zone's offset from UTC at instant `t`, in ms (e.g. +8 h for Asia/Shanghai). */
const offsetAt = (zone: string, t: number) => wallClock(zone, t) - Math.floor(t / 1000) * 1000

/**
 * The instant of local wall-clock time `naive` (the wall clock written as if UTC) on a day where the offset
 * may change from `before` to `after`. An ambiguous time (autumn) is its first occurrence; a time in the
 * spring gap moves forward by the gap, as clocks do.
 */
function instantOf(zone: string, naive: number, before: number, after: number): number {
  if (before === after) return naive - before
  const first = naive - Math.max(before, after)
  const second = naive - Math.min(before, after)
  for (const candidate of [first, second]) {
    if (candidate + offsetAt(zone, candidate) === naive) return candidate
  }
  return naive - before
}

/**
 * Opening runs touching [from, to), not clipped. Segments are computed for every local day from the day
 * before `from` to the day after `to` and merged when they touch (so a booking may span midnight or two
 * adjacent segments). A run that started before the computed days is anchored at its first computed
 * segment, which for listings open around the clock is a local midnight.
 *
 * Days are walked as calendar dates (no zone needed); local times become instants with the zone's offset,
 * read once per day at local noon. A day whose neighbours' noon offsets differ contains a change, and only
 * its times are resolved one by one.
 */
function openingRuns(availability: Availability, from: Date, to: Date): Run[] {
  const zone = availability.timezone
  const exceptions = new Map(availability.exceptions.map((e) => [e.date, e]))
  const startWall = wallClock(zone, from.getTime())
  const firstDay = Date.UTC(
    new Date(startWall).getUTCFullYear(),
    new Date(startWall).getUTCMonth(),
    new Date(startWall).getUTCDate() - 1,
  )
  const endWall = wallClock(zone, to.getTime())
  const lastDay = Date.UTC(
    new Date(endWall).getUTCFullYear(),
    new Date(endWall).getUTCMonth(),
    new Date(endWall).getUTCDate() + 1,
  )
  const guess = startWall - Math.floor(from.getTime() / 1000) * 1000
  const noonOffset = new Map<number, number>()
  const offsetOnDay = (day: number) => {
    let o = noonOffset.get(day)
    if (o === undefined) {
      o = offsetAt(zone, day + 12 * 3600_000 - guess)
      noonOffset.set(day, o)
    }
    return o
  }
  const segments: Interval[] = []
  for (let day = firstDay; day <= lastDay; day += DAY) {
    const date = new Date(day)
    const exception = exceptions.get(date.toISOString().slice(0, 10))
    const hours = exception
      ? exception.closed
        ? []
        : exception.hours
      : (availability.weekly[WEEKDAYS[(date.getUTCDay() + 6) % 7]!] ?? [])
    if (hours.length === 0) continue
    const before = offsetOnDay(day - DAY)
    const after = offsetOnDay(day + DAY)
    const sorted = [...hours].sort((a, b) => toMinutes(a.start) - toMinutes(b.start))
    for (const h of sorted) {
      const start = instantOf(zone, day + toMinutes(h.start) * MINUTE, before, after)
      const end = instantOf(zone, day + toMinutes(h.end) * MINUTE, before, after)
      // A segment wholly inside a spring-forward gap collapses to nothing.
      if (end > start) segments.push({ start: new Date(start), end: new Date(end) })
    }
  }
  const runs: Run[] = []
  for (const s of segments) {
    const prev = runs.at(-1)
    if (prev && s.start.getTime() <= prev.end.getTime()) {
      if (s.end > prev.end) prev.end = s.end
    } else {
      runs.push({ start: s.start, end: s.end, anchor: s.start })
    }
  }
  return runs.filter((r) => r.end > from && r.start < to)
}

/**
 * Opening hours (weekly hours and dated exceptions, in the listing's IANA zone) as instants, merged where
 * they touch and clipped to [from, to).
 */
export function openingIntervals(availability: Availability, from: Date, to: Date): Interval[] {
  if (!(from < to)) return []
  return openingRuns(availability, from, to).map((r) => ({
    start: r.start < from ? from : r.start,
    end: r.end > to ? to : r.end,
  }))
}

/** Busy ranges widened by the buffer on both sides, merged where they touch: sorted and disjoint. */
function blocked(busy: Interval[], bufferMinutes: number): Array<[number, number]> {
  const b = bufferMinutes * MINUTE
  const sorted = busy
    .map((i): [number, number] => [i.start.getTime() - b, i.end.getTime() + b])
    .sort((x, y) => x[0] - y[0])
  const merged: Array<[number, number]> = []
  for (const r of sorted) {
    const last = merged.at(-1)
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}

function overlapsAny(start: number, end: number, ranges: Array<[number, number]>): boolean {
  for (const [s, e] of ranges) {
    if (s >= end) return false
    if (e > start) return true
  }
  return false
}

/**
 * Answers "does [start, end) overlap a blocked range?" for windows asked in increasing order of start,
 * walking the sorted, disjoint ranges once.
 */
function overlapCursor(ranges: Array<[number, number]>) {
  let i = 0
  return (start: number, end: number) => {
    while (i < ranges.length && ranges[i]![1] <= start) i += 1
    return i < ranges.length && ranges[i]![0] < end
  }
}

/**
 * The bookable slots of a listing in [from, to): units of `rules.slotMinutes` on the slot grid of each
 * opening run, free of every busy interval plus the buffer, that belong to at least one window
 * {@link checkWindow} accepts (its start meets the notice and advance rules, its length is between the
 * minimum and maximum duration). Sorted, never overlapping.
 */
export function bookableSlots(input: SlotsInput): Interval[] {
  const { rules, from, to, now } = input
  if (!(from < to)) return []
  const slot = rules.slotMinutes * MINUTE
  const minDur = rules.minDurationMinutes * MINUTE
  const maxDur = rules.maxDurationMinutes * MINUTE
  const earliest = now.getTime() + rules.minNoticeHours * 60 * MINUTE
  const latest = now.getTime() + rules.maxAdvanceDays * DAY
  // Look past the window so that a slot near its edge still counts windows reaching beyond it.
  const runs = openingRuns(input.availability, new Date(from.getTime() - maxDur), new Date(to.getTime() + maxDur))
  const overlaps = overlapCursor(blocked(input.busy, input.bufferMinutes))
  const out: Interval[] = []
  for (const run of runs) {
    const runEnd = run.end.getTime()
    // Free stretches of consecutive units on this run's grid.
    let t = run.anchor.getTime()
    let stretch: number[] = []
    const flush = () => {
      let coveredUntil = Number.NEGATIVE_INFINITY
      const stretchEnd = (stretch.at(-1) ?? 0) + slot
      for (const s of stretch) {
        if (s < earliest || s > latest || s + minDur > stretchEnd) continue
        const reach = Math.min(stretchEnd, s + maxDur)
        for (let u = Math.max(s, coveredUntil); u + slot <= reach; u += slot) {
          if (u >= from.getTime() && u + slot <= to.getTime()) out.push({ start: new Date(u), end: new Date(u + slot) })
        }
        coveredUntil = Math.max(coveredUntil, reach)
      }
      stretch = []
    }
    for (; t + slot <= runEnd; t += slot) {
      if (overlaps(t, t + slot)) flush()
      else stretch.push(t)
    }
    flush()
  }
  return out
}

/**
 * Whether [start, end) may be booked, and if not, which rule it breaks (checked in this order: duration,
 * notice, advance, opening hours, slot grid, conflict with another booking plus the buffer).
 */
export function checkWindow(input: WindowInput): { ok: true } | { ok: false; refusal: Refusal; detail: string } {
  const { rules, start, end, now } = input
  const s = start.getTime()
  const e = end.getTime()
  const duration = e - s
  const refuse = (refusal: Refusal, detail: string) => ({ ok: false as const, refusal, detail })
  if (duration < rules.minDurationMinutes * MINUTE)
    return refuse('too_short', `A booking lasts at least ${rules.minDurationMinutes} minutes.`)
  if (duration > rules.maxDurationMinutes * MINUTE)
    return refuse('too_long', `A booking lasts at most ${rules.maxDurationMinutes} minutes.`)
  if (s < now.getTime() + rules.minNoticeHours * 60 * MINUTE)
    return refuse('min_notice', `Book at least ${rules.minNoticeHours} hours ahead.`)
  if (s > now.getTime() + rules.maxAdvanceDays * DAY)
    return refuse('max_advance', `Book at most ${rules.maxAdvanceDays} days ahead.`)
  const run = openingRuns(input.availability, start, end).find((r) => r.start <= start && r.end >= end)
  if (!run) return refuse('outside_hours', 'The window is not inside the opening hours.')
  const slot = rules.slotMinutes * MINUTE
  if ((s - run.anchor.getTime()) % slot !== 0 || duration % slot !== 0)
    return refuse('not_slot_aligned', `Start and length must follow the ${rules.slotMinutes}-minute slots.`)
  if (overlapsAny(s, e, blocked(input.busy, input.bufferMinutes)))
    return refuse('conflict', 'Another booking (with the buffer between bookings) overlaps this window.')
  return { ok: true }
}
