/** What `pnpm bench` hands each benchmark: a Postgres server and a Meilisearch of its own for the run. */
export interface BenchContext {
  /** Admin URL of a Postgres server; create the databases you need (e.g. with testDatabase-like cloning). */
  databaseUrl: string
  meiliUrl: string
  meiliKey: string
  /** Progress lines, printed prefixed with the benchmark's name. */
  log(message: string): void
}

/** One measured figure. */
export interface BenchMetric {
  metric: string
  value: number
  unit: string
}

/** A ratio measured in one run, with the target it is held to. */
export interface BenchRatio {
  name: string
  value: number
  /** e.g. '<= 1.3' */
  target: string
  pass: boolean
}

/** What a benchmark returns; `pnpm bench` prints it and writes it as JSON under bench-results/. */
export interface BenchResult {
  name: string
  metrics: BenchMetric[]
  ratios: BenchRatio[]
  /** Anything else worth keeping (parameters, sizes). */
  details?: Record<string, unknown>
}

/** A benchmark module's default export: `services/<service>/bench/<name>.bench.ts`. */
export type Benchmark = (ctx: BenchContext) => Promise<BenchResult>

/** Percentile (0-100) of a list of numbers, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}
