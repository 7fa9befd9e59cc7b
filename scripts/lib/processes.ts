import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { guardProcess } from '@commons/infra'

const COLORS = [36, 35, 33, 32, 34, 91]
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }

/** A short human line from a pino JSON log line; other lines pass through as they are. */
export function formatLogLine(line: string): string {
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
    if (err) parts.push(`\n${err.stack ?? err.message}`)
    return parts.join(' ')
  } catch {
    return line
  }
}

/** Children started by `run`, stopped together. */
export class ProcessGroup {
  private readonly children = new Map<string, ChildProcess>()
  private colorIndex = 0
  private stopping = false

  constructor(private readonly onUnexpectedExit: (name: string, code: number | null) => void) {}

  /** Starts a child whose output is prefixed with its coloured name, one line at a time. */
  run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
    const color = COLORS[this.colorIndex++ % COLORS.length]
    const prefix = `\x1b[${color}m${name.padEnd(9)}|\x1b[0m `
    // A process group of its own, so a terminal's Ctrl-C reaches only the orchestrator, which then stops
    // the children in order (services drain before the databases go); the watchdog stops them should the
    // orchestrator itself be killed.
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const release = child.pid ? guardProcess(child.pid, 'SIGTERM', 15_000) : () => {}
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix}${formatLogLine(line)}\n`))
    }
    child.on('exit', (code) => {
      release()
      this.children.delete(name)
      if (!this.stopping) this.onUnexpectedExit(name, code)
    })
    this.children.set(name, child)
    return child
  }

  /** SIGTERM to every child, SIGKILL to those still running after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true
    const exits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
          child.once('exit', () => {
            clearTimeout(timer)
            resolve()
          })
          child.kill('SIGTERM')
        }),
    )
    await Promise.all(exits)
  }
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
