/**
 * `pnpm bench [filter...]`: runs every benchmark (`services/<service>/bench/*.bench.ts`,
 * `packages/<package>/bench/*.bench.ts`) against one embedded Postgres and Meilisearch started for the run
 * (or TEST_DATABASE_URL / MEILI_URL), prints a table per benchmark and writes the results as JSON under
 * bench-results/. Figures that compare are ratios measured in the same run; targets are reported, not
 * enforced, since a loaded machine shifts absolute numbers.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureStack, freePorts, guardDirectory } from '@commons/infra'
import type { Benchmark, BenchResult } from '@commons/testkit'
import { REPO_ROOT } from './lib/paths.ts'

async function findBenchmarks(filters: string[]): Promise<string[]> {
  const found: string[] = []
  for (const group of ['services', 'packages']) {
    for (const name of await readdir(path.join(REPO_ROOT, group))) {
      const dir = path.join(REPO_ROOT, group, name, 'bench')
      const files = await readdir(dir).catch(() => [] as string[])
      for (const file of files.filter((f) => f.endsWith('.bench.ts')).sort()) found.push(path.join(dir, file))
    }
  }
  return filters.length ? found.filter((f) => filters.some((x) => f.includes(x))) : found
}

function printResult(result: BenchResult, seconds: number) {
  console.log(`\n${result.name} (${seconds.toFixed(1)} s)`)
  const width = Math.max(10, ...result.metrics.map((m) => m.metric.length), ...result.ratios.map((r) => r.name.length))
  for (const m of result.metrics) {
    console.log(`  ${m.metric.padEnd(width)}  ${formatNumber(m.value).padStart(12)} ${m.unit}`)
  }
  for (const r of result.ratios) {
    const verdict = r.pass ? 'meets' : 'MISSES'
    console.log(`  ${r.name.padEnd(width)}  ${formatNumber(r.value).padStart(12)} x   ${verdict} target ${r.target}`)
  }
}

const formatNumber = (n: number) =>
  Number.isInteger(n) ? String(n) : Math.abs(n) >= 100 ? n.toFixed(1) : n.toFixed(3).replace(/\.?0+$/, '')

const filters = process.argv.slice(2).filter((a) => a !== '--')
const files = await findBenchmarks(filters)
if (files.length === 0) {
  console.log('no benchmarks found')
  process.exit(0)
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'commons-bench-'))
const releaseDir = guardDirectory(dataDir)
const [pgPort, meiliPort] = await freePorts(2)
const stack = await ensureStack({
  dataDir,
  pgPort: pgPort!,
  meiliPort: meiliPort!,
  databaseUrl: process.env.TEST_DATABASE_URL || undefined,
  meiliUrl: process.env.MEILI_URL || undefined,
  meiliKey: process.env.MEILI_MASTER_KEY || undefined,
  persistent: false,
})

const outDir = path.join(REPO_ROOT, 'bench-results')
await mkdir(outDir, { recursive: true })
const results: Array<BenchResult & { file: string; seconds: number; startedAt: string }> = []
let failed = 0
try {
  for (const file of files) {
    const name = path.relative(REPO_ROOT, file)
    const started = Date.now()
    console.log(`\n==> ${name}`)
    try {
      const bench = (await import(pathToFileURL(file).href)).default as Benchmark
      const result = await bench({
        databaseUrl: stack.databaseUrl,
        meiliUrl: stack.meiliUrl,
        meiliKey: stack.meiliKey,
        log: (message) => console.log(`    ${message}`),
      })
      const seconds = (Date.now() - started) / 1000
      printResult(result, seconds)
      const record = { ...result, file: name, seconds, startedAt: new Date(started).toISOString() }
      results.push(record)
      await writeFile(
        path.join(outDir, `${path.basename(file, '.bench.ts')}.json`),
        `${JSON.stringify(record, null, 2)}\n`,
      )
    } catch (error) {
      failed += 1
      console.error(`  failed: ${(error as Error).stack ?? String(error)}`)
    }
  }
} finally {
  await stack.stop()
  await rm(dataDir, { recursive: true, force: true })
  releaseDir()
}
await writeFile(
  path.join(outDir, 'latest.json'),
  `${JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, results }, null, 2)}\n`,
)
console.log(`\n${results.length} benchmarks ran, ${failed} failed; results in bench-results/`)
process.exit(failed ? 1 : 0)
