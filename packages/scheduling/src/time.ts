/** Wall clocks of IANA zones from the runtime's time-zone data, memoised for the slot math. */

export const MINUTE = 60_000
export const DAY = 24 * 60 * MINUTE

// Memo tables grow with the distinct days and instants asked for; past this many they start over.
export const MEMO_LIMIT = 4096

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
export function wallClock(zone: string, t: number): number {
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
export const offsetAt = (zone: string, t: number) => wallClock(zone, t) - Math.floor(t / 1000) * 1000

/**
 * The instant of local wall-clock time `naive` (the wall clock written as if UTC) on a day where the offset
 * may change from `before` to `after`. An ambiguous time (autumn) is its first occurrence; a time in the
 * spring gap moves forward by the gap, as clocks do.
 */
export function instantOf(zone: string, naive: number, before: number, after: number): number {
  if (before === after) return naive - before
  const first = naive - Math.max(before, after)
  const second = naive - Math.min(before, after)
  for (const candidate of [first, second]) {
    if (candidate + offsetAt(zone, candidate) === naive) return candidate
  }
  return naive - before
}
