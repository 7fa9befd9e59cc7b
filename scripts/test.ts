/**
 * `pnpm test [files...] [tap options...]`: starts one embedded Postgres and Meilisearch for the whole run
 * (or uses TEST_DATABASE_URL / MEILI_URL), runs tap over the workspace with their URLs in the environment,
 * prints one line per file and the details of each failure, and ends with `N passed, N failed` (tests, not
 * assertions; see lib/tap-summary.ts). The embedded servers and their temporary directory are removed at
 * the end, on SIGINT/SIGTERM, and (by infra's watchdog) even if this process is killed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureStack, freePorts, guardDirectory, type Stack } from '@commons/infra'
import { dropRunDatabases } from '@commons/testkit'
import { TapSummary } from './lib/tap-summary.ts'
import { expandTestDirectories } from './lib/test-files.ts'
import { formatFile, formatSeconds, paint } from './lib/test-report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TAP = path.join(ROOT, 'node_modules', '.bin', 'tap')
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }
const TAP_KILL_AFTER_MS = 10_000
const SIGNAL_REPEAT_MS = 1_000

interface RunConfig {
  /** External servers to use instead of embedded ones. */
  databaseUrl: string | undefined
  meiliUrl: string | undefined
  meiliKey: string | undefined
  color: boolean
  /** Everything after `pnpm test`, for tap. */
  tapArgs: string[]
}

/** The only place this script reads the environment. */
function loadConfig(env: NodeJS.ProcessEnv, argv: string[]): RunConfig {
  const args = argv.slice(2)
  if (args[0] === '--') args.shift()
  return {
    databaseUrl: env.TEST_DATABASE_URL || undefined,
    meiliUrl: env.MEILI_URL || undefined,
    meiliKey: env.MEILI_MASTER_KEY || undefined,
    color: Boolean(process.stdout.isTTY) && !env.NO_COLOR,
    tapArgs: args,
  }
}

async function main(config: RunConfig): Promise<number> {
  const p = paint(config.color)
  const startedAt = Date.now()
  // An object, not a `let`: it is written by signal handlers, which control-flow narrowing does not see.
  const run: { interrupted: (typeof SIGNALS)[number] | null; interruptedAt: number; tap: ChildProcess | null } = {
    interrupted: null,
    interruptedAt: 0,
    tap: null,
  }
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      // Ctrl-C reaches every process of the group and wrappers (pnpm, tsx) may pass it on as well: one
      // keypress can arrive more than once, so only a later signal means "stop waiting".
      if (run.interrupted && Date.now() - run.interruptedAt < SIGNAL_REPEAT_MS) return
      if (run.interrupted) {
        // Second signal: leave now; the watchdog still stops the servers and removes the directory.
        process.stderr.write(`${signal} again: exiting without cleanup\n`)
        process.exit(128 + SIGNAL_NUMBERS[signal])
      }
      run.interrupted = signal
      run.interruptedAt = Date.now()
      process.stderr.write(`\n${signal}: stopping the test run\n`)
      const tap = run.tap
      if (tap && tap.exitCode === null) {
        tap.kill(signal)
        setTimeout(() => tap.kill('SIGKILL'), TAP_KILL_AFTER_MS).unref()
      }
    })
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), 'commons-test-run-'))
  const keepDir = guardDirectory(dataDir)
  let stack: Stack
  try {
    const [pgPort, meiliPort] = (await freePorts(2)) as [number, number]
    stack = await ensureStack({
      dataDir,
      pgPort,
      meiliPort,
      databaseUrl: config.databaseUrl,
      meiliUrl: config.meiliUrl,
      meiliKey: config.meiliKey,
      persistent: false,
    })
  } catch (error) {
    process.stderr.write(`${p.red('could not start the test stack:')} ${(error as Error).message}\n`)
    await rm(dataDir, { recursive: true, force: true })
    keepDir()
    return 1
  }
  const where = (url: string, given: string | undefined) => (given ? `${new URL(url).host} (given)` : 'embedded')
  process.stdout.write(
    p.dim(
      `Postgres ${where(stack.databaseUrl, config.databaseUrl)}, Meilisearch ${where(stack.meiliUrl, config.meiliUrl)}: ready in ${formatSeconds(Date.now() - startedAt)}\n`,
    ),
  )

  const runId = randomBytes(4).toString('hex')
  let tapExit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null }
  const summary = new TapSummary(
    (file) => process.stdout.write(`${formatFile(file, p)}\n`),
    (line) => process.stdout.write(`${line}\n`),
  )
  if (!run.interrupted) {
    const tapArgs = await expandTestDirectories(config.tapArgs, ROOT)
    const child = spawn(TAP, ['--reporter=tap', ...tapArgs], {
      cwd: ROOT,
      env: {
        ...process.env,
        TEST_DATABASE_URL: stack.databaseUrl,
        MEILI_URL: stack.meiliUrl,
        MEILI_MASTER_KEY: stack.meiliKey,
        TEST_RUN_ID: runId,
      },
      // Test files' stderr goes straight to the terminal, live; stdout is TAP and is summarised.
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    run.tap = child
    child.stdout.pipe(summary.parser)
    tapExit = await new Promise((resolve) => {
      child.once('error', (error) => {
        process.stderr.write(`could not run ${TAP}: ${error.message}\n`)
        resolve({ code: 1, signal: null })
      })
      child.once('close', (code, signal) => resolve({ code, signal }))
    })
  } else {
    summary.parser.end()
  }
  const totals = await summary.done

  // Embedded servers vanish with their directory; on given servers, remove what crashed files left.
  if (config.databaseUrl) {
    await dropRunDatabases(stack.databaseUrl, runId).catch((error: Error) => {
      process.stderr.write(`could not drop the databases of test run ${runId}: ${error.message}\n`)
    })
  }
  await stack.stop()
  await rm(dataDir, { recursive: true, force: true })
  keepDir()

  if (totals.bailout !== null) process.stdout.write(p.red(`Bail out! ${totals.bailout}\n`))
  if (tapExit.code !== 0 && totals.failed === 0 && !run.interrupted) {
    process.stdout.write(p.red(`tap exited with ${tapExit.signal ?? `code ${tapExit.code}`}\n`))
  }
  const interruption = run.interrupted ? `, interrupted by ${run.interrupted}` : ''
  process.stdout.write(p.dim(`finished in ${formatSeconds(Date.now() - startedAt)}${interruption}\n`))
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`)

  if (run.interrupted) return 128 + SIGNAL_NUMBERS[run.interrupted]
  return totals.failed > 0 || tapExit.code !== 0 || totals.bailout !== null ? 1 : 0
}

process.exitCode = await main(loadConfig(process.env, process.argv))
