import type { Sample } from './load.ts'

/** One fault's outcome. */
export interface Row {
  fault: string
  /** 5xx answers (and answers that never came) during the fault and its recovery, by status and code. */
  errors: Map<string, number>
  requests: number
  recoveredMs: number | undefined
  /** Units that exited during the fault other than the one it hit. */
  crashed: string[]
}

/** The suite's table: one row per fault, as Markdown. */
export function formatTable(rows: Row[]): string {
  const header = ['fault', 'requests', '5xx / no answer (codes)', 'recovered in', 'other exits']
  const body = rows.map((row) => [
    row.fault,
    String(row.requests),
    row.errors.size === 0 ? '0' : [...row.errors].map(([key, n]) => `${n}× ${key}`).join(', '),
    row.recoveredMs === undefined ? 'not recovered' : `${(row.recoveredMs / 1000).toFixed(1)} s`,
    row.crashed.length === 0 ? 'none' : row.crashed.join(', '),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`
  return `\n${[line(header), rule, ...body.map(line)].join('\n')}\n`
}

/** 5xx answers and answers that never came, counted by status and code. */
export function errorsIn(samples: Sample[]): Map<string, number> {
  const errors = new Map<string, number>()
  for (const s of samples) {
    if (s.status !== 0 && s.status < 500) continue
    const key = s.status === 0 ? `no answer ${s.code ?? ''}`.trim() : `${s.status} ${s.code ?? ''}`.trim()
    errors.set(key, (errors.get(key) ?? 0) + 1)
  }
  return errors
}
