import type { Availability, Weekday } from '@commons/contracts'
import { DAY, instantOf, MEMO_LIMIT, MINUTE, offsetAt, wallClock } from './time.ts'
import type { Interval } from './types.ts'

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

/** Opening runs as parallel arrays of ms: merged opening intervals and the instant each slot grid starts from. */
export interface Runs {
  start: number[]
  end: number[]
  /** Start of the first opening segment of the run; slots start at anchor + k × slot. */
  anchor: number[]
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))

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
export function openingRuns(plan: OpeningPlan, fromMs: number, toMs: number): Runs {
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
