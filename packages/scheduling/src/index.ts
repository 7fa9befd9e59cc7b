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

import { blocked, overlapCursor, overlapsAny } from './busy.ts'
import { openingPlan, openingRuns } from './opening.ts'
import { DAY, MINUTE } from './time.ts'
import type { Interval, Refusal, SlotsInput, WindowInput } from './types.ts'

export { OpeningPlan, openingIntervals, openingPlan, openingPlanFor } from './opening.ts'
export type { Interval, Refusal, SlotsInput, WindowInput } from './types.ts'

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
export { type FitNeed, listingFitsNeed } from './fits.ts'
