import { inspect } from 'node:util'
import type { Failure, FileResult } from './tap-summary.ts'

/** ANSI colouring, or none. */
export interface Paint {
  red(text: string): string
  green(text: string): string
  dim(text: string): string
}

/** Colours when `enabled` (a terminal without NO_COLOR), identity otherwise. */
export function paint(enabled: boolean): Paint {
  const wrap = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text)
  return { red: wrap(31), green: wrap(32), dim: wrap(2) }
}

// Spawn details tap attaches to a failed file (command line, cwd...) say nothing about the failure.
const HIDDEN_DIAG_KEYS = new Set(['stdio', 'cwd', 'externalID', 'command', 'args', 'env', 'isToplevel'])
const MAX_OUTPUT_LINES = 80

/** One line per file; for a failed file, every failure with its diagnostics and the file's console output. */
export function formatFile(file: FileResult, p: Paint): string {
  const time = file.time === null ? '' : `, ${formatSeconds(file.time)}`
  if (file.skip !== null) return p.dim(`- ${file.name} (skipped${file.skip ? `: ${file.skip}` : ''})`)
  if (file.ok) {
    const tests = file.passed === 1 ? '1 test' : `${file.passed} tests`
    return `${p.green('✓')} ${file.name} ${p.dim(`(${tests}${time})`)}`
  }
  const lines = [`${p.red('✗')} ${file.name} ${p.dim(`(${file.passed} passed, ${file.failed} failed${time})`)}`]
  for (const failure of file.failures) lines.push(...formatFailure(failure, p))
  if (file.output.length > 0) {
    const shown = file.output.slice(-MAX_OUTPUT_LINES)
    const cut = file.output.length - shown.length
    lines.push(p.dim(`    output of ${file.name}${cut > 0 ? ` (last ${shown.length} lines)` : ''}:`))
    lines.push(...shown.map((line) => `      ${line}`))
  }
  return lines.join('\n')
}

function formatFailure(failure: Failure, p: Paint): string[] {
  const lines = [`    ${p.red('✗')} ${failure.path.join(' › ')}`]
  const diag = failure.diag ?? {}
  const at = diag.at as { fileName?: string; lineNumber?: number; columnNumber?: number } | undefined
  if (at?.fileName) lines.push(p.dim(`      at ${at.fileName}:${at.lineNumber ?? 0}:${at.columnNumber ?? 0}`))
  for (const [key, value] of Object.entries(diag)) {
    if (key === 'at' || HIDDEN_DIAG_KEYS.has(key) || value === undefined) continue
    const text = typeof value === 'string' ? value.replace(/\n$/, '') : inspect(value, { depth: 4, breakLength: 100 })
    if (text.includes('\n')) {
      lines.push(`      ${key}:`)
      lines.push(...text.split('\n').map((line) => `        ${line}`))
    } else {
      lines.push(`      ${key}: ${text}`)
    }
  }
  return lines
}

/** `1.2 s` / `350 ms`. */
export function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`
}
