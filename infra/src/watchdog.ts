import { type ChildProcess, spawn } from 'node:child_process'

// Runs in a separate, detached Node process. It learns what to clean up from JSON lines on stdin and acts
// when stdin closes, which happens however the parent dies (exit, crash, SIGKILL, OOM). Plain JS so it
// needs no loader; kept small because it is passed with `node -e`.
const WATCHDOG_SOURCE = `
process.title = 'commons-watchdog'
const fs = require('node:fs')
const procs = new Map()
const dirs = new Set()
let buffer = ''
const alive = (pid) => {
  try { process.kill(pid, 0) } catch { return false }
  try {
    const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch { return true }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const kill = (pid, signal) => { try { process.kill(pid, signal) } catch {} }
let reaping = false
async function reap () {
  if (reaping) return
  reaping = true
  for (const [pid, p] of procs) kill(pid, p.signal)
  const started = Date.now()
  while (procs.size > 0) {
    for (const [pid, p] of procs) {
      const waited = Date.now() - started
      if (!alive(pid) || waited > p.killAfterMs + 2000) procs.delete(pid)
      else if (waited > p.killAfterMs) kill(pid, 'SIGKILL')
    }
    await sleep(50)
  }
  for (const dir of dirs) {
    try { fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 }) } catch {}
  }
  process.exit(0)
}
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  buffer += chunk
  let nl
  while ((nl = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, nl)
    buffer = buffer.slice(nl + 1)
    let m
    try { m = JSON.parse(line) } catch { continue }
    if (m.op === 'watch') procs.set(m.pid, { signal: m.signal, killAfterMs: m.killAfterMs })
    else if (m.op === 'unwatch') procs.delete(m.pid)
    else if (m.op === 'rm') dirs.add(m.dir)
    else if (m.op === 'keep') dirs.delete(m.dir)
  }
})
process.stdin.on('end', reap)
process.stdin.on('error', reap)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {})
`

let watchdog: ChildProcess | undefined

// One watchdog per parent process is enough; it is created on first use so importing infra costs nothing.
function send(message: object) {
  if (!watchdog) {
    const env = { ...process.env }
    // A loader injected through NODE_OPTIONS (tsx, tap's process tracking) is not needed here.
    delete env.NODE_OPTIONS
    watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env,
    })
    watchdog.on('error', () => {})
    watchdog.stdin?.on('error', () => {})
    watchdog.unref()
    // The pipe must not keep the parent alive: the watchdog exists for when the parent goes away.
    ;(watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.()
  }
  watchdog.stdin?.write(`${JSON.stringify(message)}\n`)
}

/**
 * Makes sure `pid` does not outlive this process, however it ends (even SIGKILL): a detached watchdog sends
 * `signal` when this process is gone, then SIGKILL after `killAfterMs`. Call the returned function once the
 * child has exited so that a recycled pid is never signalled.
 */
export function guardProcess(pid: number, signal: NodeJS.Signals, killAfterMs: number): () => void {
  send({ op: 'watch', pid, signal, killAfterMs })
  return () => send({ op: 'unwatch', pid })
}

/**
 * Removes `dir` after this process is gone (and after every guarded process has stopped), unless the
 * returned function is called first.
 */
export function guardDirectory(dir: string): () => void {
  send({ op: 'rm', dir })
  return () => send({ op: 'keep', dir })
}
