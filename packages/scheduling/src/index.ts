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
  /** The listing's opening hours, or their {@link openingPlan} (the same, compiled once per listing version). */
  availability: Availability | OpeningPlan
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
  availability: Availability | OpeningPlan
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

/** Opening runs as parallel arrays of ms: merged opening intervals and the instant each slot grid starts from. */
interface Runs {
  start: number[]
  end: number[]
  /** Start of the first opening segment of the run; slots start at anchor + k × slot. */
  anchor: number[]
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))

// Memo tables grow with the distinct days and instants asked for; past this many they start over.
const MEMO_LIMIT = 4096

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

// Recent answers of wallClock per zone: the same windows are asked again and again (this week, 90 days).
const wallClocks = new Map<string, Map<number, number>>()

/** The wall clock of `zone` at instant `t`, as if it were UTC (ms). */
function wallClock(zone: string, t: number): number {
  let memo = wallClocks.get(zone)
  if (!memo) {
    memo = new Map()
    wallClocks.set(zone, memo)
  }
  const known = memo.get(t)
  if (known !== undefined) return known
  const v: Record<string, number> = {}
  for (const part of formatterOf(zone).formatToParts(new Date(t))) v[part.type] = Number(part.value)
  const wall = Date.UTC(v.year!, v.month! - 1, v.day!, v.hour!, v.minute!, v.second!)
  if (memo.size >= MEMO_LIMIT) memo.clear()
  memo.set(t, wall)
  return wall
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
 * Opening hours compiled for repeated use: the hours per weekday and per dated exception in minutes, and,
 * filled as days are asked for, each local day's opening segments as instants. Everything in it follows
 * from the availability (and the runtime's time-zone data), so it is valid for as long as the listing
 * version it was made from. Build it with {@link openingPlan} or {@link openingPlanFor}.
 */
export class OpeningPlan {
  readonly zone: string
  readonly #weekly: Array<Array<[number, number]>>
  readonly #exceptions: Map<string, Array<[number, number]>>
  /**
   * Per offset guess (the zone's offset at the start of the asked range, which picks the instant each day's
   * noon offset is read at): local day -> flat [start, end, start, end...] of its segments, and the noon
   * offsets. A zone has two or three guesses at most.
   */
  readonly #byGuess = new Map<number, { segments: Map<number, number[]>; noon: Map<number, number> }>()

  constructor(availability: Availability) {
    this.zone = availability.timezone
    const sorted = (hours: Array<{ start: string; end: string }>) =>
      hours.map((h): [number, number] => [toMinutes(h.start), toMinutes(h.end)]).sort((a, b) => a[0] - b[0])
    this.#weekly = WEEKDAYS.map((d) => sorted(availability.weekly[d] ?? []))
    this.#exceptions = new Map(availability.exceptions.map((e) => [e.date, e.closed ? [] : sorted(e.hours)]))
  }

  /** The segments of local day `day` (UTC midnight of its date, ms) as instants, flat [start, end, ...]. */
  segmentsOf(day: number, guess: number): number[] {
    let memo = this.#byGuess.get(guess)
    if (!memo) {
      memo = { segments: new Map(), noon: new Map() }
      this.#byGuess.set(guess, memo)
    }
    let flat = memo.segments.get(day)
    if (flat) return flat
    const date = new Date(day)
    const hours = this.#exceptions.get(date.toISOString().slice(0, 10)) ?? this.#weekly[(date.getUTCDay() + 6) % 7]!
    flat = []
    if (hours.length > 0) {
      const noon = memo.noon
      const offsetOnDay = (d: number) => {
        let o = noon.get(d)
        if (o === undefined) {
          o = offsetAt(this.zone, d + 12 * 3600_000 - guess)
          if (noon.size >= MEMO_LIMIT) noon.clear()
          noon.set(d, o)
        }
        return o
      }
      const before = offsetOnDay(day - DAY)
      const after = offsetOnDay(day + DAY)
      for (const [startMin, endMin] of hours) {
        const start = instantOf(this.zone, day + startMin * MINUTE, before, after)
        const end = instantOf(this.zone, day + endMin * MINUTE, before, after)
        // A segment wholly inside a spring-forward gap collapses to nothing.
        if (end > start) flat.push(start, end)
      }
    }
    if (memo.segments.size >= MEMO_LIMIT) memo.segments.clear()
    memo.segments.set(day, flat)
    return flat
  }
}

// Parsed availabilities are never mutated, so a plan can ride along with the object it came from.
const plansByObject = new WeakMap<Availability, OpeningPlan>()
const plansByKey = new Map<string, OpeningPlan>()
const PLANS_BY_KEY_LIMIT = 1000

/** The plan of `availability`, compiled once per object. */
export function openingPlan(availability: Availability | OpeningPlan): OpeningPlan {
  if (availability instanceof OpeningPlan) return availability
  let plan = plansByObject.get(availability)
  if (!plan) {
    plan = new OpeningPlan(availability)
    plansByObject.set(availability, plan)
  }
  return plan
}

/**
 * The plan of a listing version, compiled once per `key` (e.g. `${listingId}@${version}`, which changes
 * whenever the availability does), for callers that parse the availability anew on each request. Keeps
 * the most recently used thousand.
 */
export function openingPlanFor(key: string, availability: Availability): OpeningPlan {
  let plan = plansByKey.get(key)
  if (plan) {
    plansByKey.delete(key)
  } else {
    plan = new OpeningPlan(availability)
    if (plansByKey.size >= PLANS_BY_KEY_LIMIT) plansByKey.delete(plansByKey.keys().next().value!)
  }
  plansByKey.set(key, plan)
  return plan
}

/**
 * Opening runs touching [from, to), not clipped. Segments are computed for every local day from the day
 * before `from` to the day after `to` and merged when they touch (so a booking may span midnight or two
 * adjacent segments). A run that started before the computed days is anchored at its first computed
 * segment, which for listings open around the clock is a local midnight.
 *
 * Days are walked as calendar dates (no zone needed); local times become instants with the zone's offset,
 * read once per day at local noon. A day whose neighbours' noon offsets differ contains a change, and only
 * its times are resolved one by one. The plan remembers each day's segments, so a repeated question costs
 * two zone look-ups and a walk over numbers.
 */
function openingRuns(plan: OpeningPlan, fromMs: number, toMs: number): Runs {
  const zone = plan.zone
  const startWall = wallClock(zone, fromMs)
  const endWall = wallClock(zone, toMs)
  const firstDay = Math.floor(startWall / DAY) * DAY - DAY
  const lastDay = Math.floor(endWall / DAY) * DAY + DAY
  const guess = startWall - Math.floor(fromMs / 1000) * 1000
  const runs: Runs = { start: [], end: [], anchor: [] }
  let n = 0
  for (let day = firstDay; day <= lastDay; day += DAY) {
    const flat = plan.segmentsOf(day, guess)
    for (let i = 0; i < flat.length; i += 2) {
      const s = flat[i]!
      const e = flat[i + 1]!
      if (n > 0 && s <= runs.end[n - 1]!) {
        if (e > runs.end[n - 1]!) runs.end[n - 1] = e
      } else {
        runs.start.push(s)
        runs.end.push(e)
        runs.anchor.push(s)
        n += 1
      }
    }
  }
  // Only the runs touching [from, to).
  let kept = 0
  for (let i = 0; i < n; i++) {
    if (runs.end[i]! > fromMs && runs.start[i]! < toMs) {
      runs.start[kept] = runs.start[i]!
      runs.end[kept] = runs.end[i]!
      runs.anchor[kept] = runs.anchor[i]!
      kept += 1
    }
  }
  runs.start.length = kept
  runs.end.length = kept
  runs.anchor.length = kept
  return runs
}

/**
 * Opening hours (weekly hours and dated exceptions, in the listing's IANA zone) as instants, merged where
 * they touch and clipped to [from, to).
 */
export function openingIntervals(availability: Availability | OpeningPlan, from: Date, to: Date): Interval[] {
  if (!(from < to)) return []
  const f = from.getTime()
  const t = to.getTime()
  const runs = openingRuns(openingPlan(availability), f, t)
  return runs.start.map((start, i) => ({
    start: new Date(Math.max(start, f)),
    end: new Date(Math.min(runs.end[i]!, t)),
  }))
}

/** Blocked ranges: sorted, disjoint [start[i], end[i]) in ms. */
interface Ranges {
  start: Float64Array
  end: Float64Array
  length: number
}

/**
 * Busy ranges widened by the buffer on both sides, merged where they touch: sorted and disjoint. Starts and
 * ends are sorted apart (typed-array sorts, no comparator) and swept by depth, starts first at a tie, which
 * yields the same union as merging intervals sorted by start.
 */
function blocked(busy: Interval[], bufferMinutes: number): Ranges {
  const b = bufferMinutes * MINUTE
  const n = busy.length
  if (sortedByStart(busy)) return mergeSorted(busy, b)
  const starts = new Float64Array(n)
  const ends = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const interval = busy[i]!
    starts[i] = interval.start.getTime() - b
    ends[i] = interval.end.getTime() + b
  }
  starts.sort()
  ends.sort()
  const out: Ranges = { start: new Float64Array(n), end: new Float64Array(n), length: 0 }
  let depth = 0
  let i = 0
  let j = 0
  while (i < n || j < n) {
    if (i < n && starts[i]! <= ends[j]!) {
      if (depth === 0) out.start[out.length] = starts[i]!
      depth += 1
      i += 1
    } else {
      depth -= 1
      if (depth === 0) out.end[out.length++] = ends[j]!
      j += 1
    }
  }
  return out
}

function sortedByStart(busy: Interval[]): boolean {
  for (let i = 1; i < busy.length; i++) if (busy[i]!.start.getTime() < busy[i - 1]!.start.getTime()) return false
  return true
}

/**
 * {@link blocked} for busy ranges already sorted by start (as the services read them): one pass, no sort
 * and no scratch arrays, which in a 90-day window of 500 bookings was most of the function's time.
 */
function mergeSorted(busy: Interval[], b: number): Ranges {
  const n = busy.length
  const out: Ranges = { start: new Float64Array(n), end: new Float64Array(n), length: 0 }
  if (n === 0) return out
  let start = busy[0]!.start.getTime() - b
  let end = busy[0]!.end.getTime() + b
  for (let i = 1; i < n; i++) {
    const s = busy[i]!.start.getTime() - b
    const e = busy[i]!.end.getTime() + b
    // Touching ranges merge, as starts sort before ends at a tie in the sweep.
    if (s <= end) {
      if (e > end) end = e
    } else {
      out.start[out.length] = start
      out.end[out.length++] = end
      start = s
      end = e
    }
  }
  out.start[out.length] = start
  out.end[out.length++] = end
  return out
}

function overlapsAny(start: number, end: number, ranges: Ranges): boolean {
  for (let i = 0; i < ranges.length; i++) {
    if (ranges.start[i]! >= end) return false
    if (ranges.end[i]! > start) return true
  }
  return false
}

/**
 * Answers "does [start, end) overlap a blocked range?" for windows asked in increasing order of start,
 * walking the sorted, disjoint ranges once.
 */
function overlapCursor(ranges: Ranges) {
  let i = 0
  return (start: number, end: number) => {
    while (i < ranges.length && ranges.end[i]! <= start) i += 1
    return i < ranges.length && ranges.start[i]! < end
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
  const fromMs = from.getTime()
  const toMs = to.getTime()
  const slot = rules.slotMinutes * MINUTE
  const minDur = rules.minDurationMinutes * MINUTE
  const maxDur = rules.maxDurationMinutes * MINUTE
  const earliest = now.getTime() + rules.minNoticeHours * 60 * MINUTE
  const latest = now.getTime() + rules.maxAdvanceDays * DAY
  // Look past the window so that a slot near its edge still counts windows reaching beyond it.
  const runs = openingRuns(openingPlan(input.availability), fromMs - maxDur, toMs + maxDur)
  const overlaps = overlapCursor(blocked(input.busy, input.bufferMinutes))
  const out: Interval[] = []
  // A free stretch: consecutive free units on a run's grid, [stretchStart, stretchEnd).
  let stretchStart = 0
  let stretchEnd = 0
  const flush = () => {
    // Every unit of the stretch that lies in a window of an allowed start and length. Windows start at the
    // stretch's units; each reaches min(stretch end, start + maxDur) and must hold minDur.
    let coveredUntil = Number.NEGATIVE_INFINITY
    for (let s = stretchStart; s < stretchEnd; s += slot) {
      if (s < earliest || s > latest || s + minDur > stretchEnd) continue
      const reach = Math.min(stretchEnd, s + maxDur)
      for (let u = Math.max(s, coveredUntil); u + slot <= reach; u += slot) {
        if (u >= fromMs && u + slot <= toMs) out.push({ start: new Date(u), end: new Date(u + slot) })
      }
      coveredUntil = Math.max(coveredUntil, reach)
    }
    stretchEnd = stretchStart
  }
  for (let r = 0; r < runs.start.length; r++) {
    const runEnd = runs.end[r]!
    let t = runs.anchor[r]!
    stretchStart = stretchEnd = t
    for (; t + slot <= runEnd; t += slot) {
      if (overlaps(t, t + slot)) {
        flush()
        stretchStart = stretchEnd = t + slot
      } else {
        stretchEnd = t + slot
      }
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
  const runs = openingRuns(openingPlan(input.availability), s, e)
  const run = runs.start.findIndex((rs, i) => rs <= s && runs.end[i]! >= e)
  if (run < 0) return refuse('outside_hours', 'The window is not inside the opening hours.')
  const slot = rules.slotMinutes * MINUTE
  if ((s - runs.anchor[run]!) % slot !== 0 || duration % slot !== 0)
    return refuse('not_slot_aligned', `Start and length must follow the ${rules.slotMinutes}-minute slots.`)
  if (overlapsAny(s, e, blocked(input.busy, input.bufferMinutes)))
    return refuse('conflict', 'Another booking (with the buffer between bookings) overlaps this window.')
  return { ok: true }
}
