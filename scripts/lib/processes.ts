import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { guardProcess } from '@commons/infra'
import type { Exit, Running } from './supervisor.ts'

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }

/**
 * A short human line from a pino JSON log line; other lines pass through as they are. An error shows its
 * message and causes on the same line; its stack only with `stacks` (LOG_LEVEL debug or trace), because a
 * service waiting for another logs the same connection error every second while the stack starts.
 */
export function formatLogLine(line: string, opts: { stacks?: boolean } = {}): string {
  if (!line.startsWith('{')) return line
  try {
    const entry = JSON.parse(line) as Record<string, unknown>
    const time = new Date(Number(entry.time ?? Date.now())).toTimeString().slice(0, 8)
    const level = LEVELS[Number(entry.level)] ?? String(entry.level ?? '')
    const req = entry.req as { method?: string; url?: string } | undefined
    const res = entry.res as { statusCode?: number } | undefined
    const parts = [time, level.padEnd(5), String(entry.msg ?? '')]
    if (req?.method) parts.push(`${req.method} ${req.url}`)
    if (res?.statusCode) parts.push(`${res.statusCode} ${Math.round(Number(entry.responseTime ?? 0))}ms`)
    if (entry.code) parts.push(`code=${String(entry.code)}`)
    const err = entry.err as { message?: string; stack?: string } | undefined
    if (err && opts.stacks) parts.push(`\n${err.stack ?? err.message}`)
    else if (err) parts.push(`(${err.message ?? 'error'})`)
    return parts.join(' ')
  } catch {
    return line
  }
}

/** Options of {@link startProcess}. */
export interface ProcessOptions {
  name: string
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
  cwd: string
  /** Receives each output line (stdout and stderr). */
  onLine: (line: string) => void
  /** SIGTERM first, SIGKILL after this long. Default 10 s. */
  graceMs?: number
}

/**
 * Starts a child for the supervisor. It gets a process group of its own, so a terminal's Ctrl-C reaches
 * only the orchestrator, which then stops the children in order (services drain before the databases go);
 * the watchdog stops them should the orchestrator itself be killed.
 */
export function startProcess(opts: ProcessOptions): Promise<Running> {
  const child = spawn(opts.command, opts.args, {
    env: opts.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', opts.onLine)
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`could not run ${opts.command}: ${error.message}`)))
    child.once('spawn', () => {
      const pid = child.pid as number
      const release = guardProcess(pid, 'SIGTERM', 15_000)
      void exited.then(release)
      const alive = () => child.exitCode === null && child.signalCode === null
      resolve({
        pid,
        exited,
        stop: async () => {
          if (!alive()) return void (await exited)
          const timer = setTimeout(() => child.kill('SIGKILL'), opts.graceMs ?? 10_000)
          child.kill('SIGTERM')
          await exited
          clearTimeout(timer)
        },
        kill: () => {
          if (alive()) child.kill('SIGKILL')
        },
      })
    })
  })
}

/** Polls `url` until it answers 200 or `timeoutMs` passes. */
export async function waitForOk(url: string, timeoutMs: number, isAborted: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline && !isAborted()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (res.ok) return
      last = `${res.status} ${await res.text()}`
    } catch (error) {
      last = String((error as Error).cause ?? error)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s (last: ${last})`)
}
