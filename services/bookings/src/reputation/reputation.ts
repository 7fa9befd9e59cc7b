import type { Reputation } from '@commons/contracts'

/**
 * The prior of the Bayesian average: every subject starts as if it had PRIOR_WEIGHT ratings of PRIOR_MEAN.
 * See the README ("Reputation") for why these values.
 */
export const PRIOR_MEAN = 4
export const PRIOR_WEIGHT = 5

/** Counts of scores 1..5. */
export type Distribution = Reputation['distribution']

export const emptyDistribution = (): Distribution => ({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 })

const round2 = (n: number) => Math.round(n * 100) / 100

/** Reputation from a score distribution: (m·C + Σ scores) / (C + n), the plain mean, the count. Pure. */
export function reputationOf(distribution: Distribution): Reputation {
  let count = 0
  let sum = 0
  for (const score of [1, 2, 3, 4, 5] as const) {
    count += distribution[score]
    sum += score * distribution[score]
  }
  return {
    average: round2((PRIOR_MEAN * PRIOR_WEIGHT + sum) / (PRIOR_WEIGHT + count)),
    mean: count === 0 ? null : round2(sum / count),
    count,
    distribution,
  }
}
