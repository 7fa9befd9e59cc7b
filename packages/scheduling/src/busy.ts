import { MINUTE } from './time.ts'
import type { Interval } from './types.ts'

/** Blocked ranges: sorted, disjoint [start[i], end[i]) in ms. */
export interface Ranges {
  start: Float64Array
  end: Float64Array
  length: number
}

/**
 * Busy ranges widened by the buffer on both sides, merged where they touch: sorted and disjoint. Starts and
 * ends are sorted apart (typed-array sorts, no comparator) and swept by depth, starts first at a tie, which
 * yields the same union as merging intervals sorted by start.
 */
export function blocked(busy: Interval[], bufferMinutes: number): Ranges {
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

export function overlapsAny(start: number, end: number, ranges: Ranges): boolean {
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
export function overlapCursor(ranges: Ranges) {
  let i = 0
  return (start: number, end: number) => {
    while (i < ranges.length && ranges.end[i]! <= start) i += 1
    return i < ranges.length && ranges.start[i]! < end
  }
}
