import { CATEGORIES, type Category, type GradedQuery } from './queries.ts'

/** What a judgement pattern is matched against. */
export interface JudgedListing {
  id: string
  title: string
  city: string
  district: string
  organizationName: string
}

function matches(pattern: string, listing: JudgedListing): boolean {
  const place = `${listing.city} ${listing.district} ${listing.organizationName}`
  return pattern
    .split(' ')
    .filter((part) => part !== '')
    .every((part) => (part.startsWith('@') ? place.includes(part.slice(1)) : listing.title.includes(part)))
}

/** The grade of `listing` for `query`: 2 good, 1 fair, 0 otherwise. */
export function grade(query: GradedQuery, listing: JudgedListing): number {
  if (query.good.some((p) => matches(p, listing))) return 2
  if ((query.fair ?? []).some((p) => matches(p, listing))) return 1
  return 0
}

const gain = (g: number) => 2 ** g - 1
const discountedGain = (grades: number[]) => grades.reduce((sum, g, i) => sum + gain(g) / Math.log2(i + 2), 0)

/**
 * nDCG@k of a ranking (listing ids) against the grades of every listing; null when no listing is relevant
 * (such a query cannot tell a good engine from a bad one).
 */
export function ndcgAt(k: number, ranking: string[], grades: Map<string, number>): number | null {
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, k)
  const best = discountedGain(ideal)
  if (best === 0) return null
  return discountedGain(ranking.slice(0, k).map((id) => grades.get(id) ?? 0)) / best
}

export interface Scores {
  byCategory: Record<Category, number>
  overall: number
}

/** Mean nDCG per category and over all queries. */
export function summarize(results: Array<{ category: Category; ndcg: number }>): Scores {
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)
  const byCategory = Object.fromEntries(
    CATEGORIES.map((c) => [c, mean(results.filter((r) => r.category === c).map((r) => r.ndcg))]),
  ) as Record<Category, number>
  return { byCategory, overall: mean(results.map((r) => r.ndcg)) }
}

/** The table `pnpm eval:search` prints. */
export function formatTable(rows: Array<{ name: string; commons: number; baseline: number; queries: number }>) {
  const lines = [`${'category'.padEnd(14)}${'queries'.padStart(8)}${'commons'.padStart(10)}${'ILIKE'.padStart(10)}`]
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(14)}${String(r.queries).padStart(8)}${r.commons.toFixed(3).padStart(10)}${r.baseline.toFixed(3).padStart(10)}`,
    )
  }
  return lines.join('\n')
}
