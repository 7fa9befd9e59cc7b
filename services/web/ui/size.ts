/**
 * The search page's initial JavaScript, gzip-compressed: the entry chunk, the chunks it imports statically,
 * and the search page's own lazy chunk with its static imports. Run after a build:
 * `pnpm --filter @commons/web size`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

interface ManifestChunk {
  file: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}

export interface SizeReport {
  files: Array<{ file: string; bytes: number; gzip: number }>
  gzip: number
  budget: number
}

const BUDGET = 200 * 1024
const SEARCH_PAGE = 'src/pages/search.tsx'

export function searchPageSize(distDir: string): SizeReport {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >
  const seen = new Set<string>()
  const visit = (key: string) => {
    if (seen.has(key)) return
    seen.add(key)
    for (const dep of manifest[key]?.imports ?? []) visit(dep)
  }
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key)
  if (manifest[SEARCH_PAGE]) visit(SEARCH_PAGE)
  const files = [...seen]
    .map((key) => manifest[key]?.file)
    .filter((file): file is string => !!file && file.endsWith('.js'))
    .map((file) => {
      const content = readFileSync(join(distDir, file))
      return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length }
    })
  return { files, gzip: files.reduce((sum, f) => sum + f.gzip, 0), budget: BUDGET }
}

export function formatSize(report: SizeReport): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  const lines = report.files.map((f) => `  ${f.file.padEnd(44)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip)}`)
  const verdict = report.gzip <= report.budget ? 'within' : 'OVER'
  return [
    'search page initial JS:',
    ...lines,
    `  total gzip ${kb(report.gzip)} (${verdict} the ${kb(report.budget)} budget)`,
  ].join('\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist')
  if (!existsSync(join(dist, '.vite', 'manifest.json'))) {
    process.stderr.write('No UI build: run `pnpm --filter @commons/web build:ui` first.\n')
    process.exit(1)
  }
  const report = searchPageSize(dist)
  process.stdout.write(`${formatSize(report)}\n`)
  if (report.gzip > report.budget) process.exit(1)
}
