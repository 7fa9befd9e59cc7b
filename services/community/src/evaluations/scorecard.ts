/**
 * The scorecard rules (评价公开), pure: Bayesian averages, the badge of the top decile and the 整改中 flag.
 * Stated in the README; applied by scorecards.service.ts and flags.ts.
 */

/** Weight of the prior: a subject's average starts at the platform mean and moves as evaluations come. */
export const PRIOR_WEIGHT = 5
/** The prior when a direction has no published evaluation yet anywhere. */
export const DEFAULT_PRIOR = 4
/** Evaluations a subject needs before it can earn a badge. */
export const BADGE_MIN_COUNT = 5
/** 整改中: the 90-day average from the people served under this, over at least FLAG_MIN_COUNT evaluations. */
export const FLAG_THRESHOLD = 3
export const FLAG_MIN_COUNT = 10
export const FLAG_WINDOW_DAYS = 90

/** The Bayesian average of `count` scores summing to `sum`, pulled towards `prior` with PRIOR_WEIGHT. */
export function bayesian(sum: number, count: number, prior: number): number {
  return Math.round(((prior * PRIOR_WEIGHT + sum) / (PRIOR_WEIGHT + count)) * 100) / 100
}

/**
 * Whether a subject is in the top decile of its kind: among the subjects with at least BADGE_MIN_COUNT
 * evaluations (`eligible`, their averages), fewer than a tenth (at least one place) rank above it.
 */
export function inTopDecile(subject: { average: number; count: number }, eligible: number[]): boolean {
  if (subject.count < BADGE_MIN_COUNT || eligible.length === 0) return false
  const above = eligible.filter((a) => a > subject.average).length
  return above < Math.max(1, Math.floor(eligible.length / 10))
}

/**
 * The 整改中 flag after new figures: raised when the 90-day average from the people served is under 3.0
 * over at least 10 evaluations; once raised, lifted only when that rolling average is back at 3.0 or more
 * (too few recent evaluations do not lift it: the average has to recover).
 */
export function nextFlag(current: boolean, average90d: number | null, count90d: number): boolean {
  if (!current) return average90d !== null && count90d >= FLAG_MIN_COUNT && average90d < FLAG_THRESHOLD
  return !(average90d !== null && count90d > 0 && average90d >= FLAG_THRESHOLD)
}
