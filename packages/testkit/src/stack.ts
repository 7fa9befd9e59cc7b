import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ensureStack, freePorts, guardDirectory } from '@commons/infra'

/** Connection details of the Postgres and Meilisearch that tests use. */
export interface TestStack {
  /** A database on the test server; testkit connects to it to create and drop per-test databases. */
  databaseUrl: string
  meiliUrl: string
  meiliKey: string
}

/** What a test run passes to its test processes (see scripts/test.ts). */
export interface TestEnv {
  databaseUrl: string | undefined
  meiliUrl: string | undefined
  meiliKey: string | undefined
  /** Identifies one test run; template databases are keyed by it so a run never reuses an older template. */
  runId: string | undefined
}

/** The only place testkit reads the environment. */
export function readTestEnv(env: NodeJS.ProcessEnv = process.env): TestEnv {
  return {
    databaseUrl: env.TEST_DATABASE_URL || undefined,
    meiliUrl: env.MEILI_URL || undefined,
    meiliKey: env.MEILI_MASTER_KEY || undefined,
    runId: env.TEST_RUN_ID || undefined,
  }
}

// Per process on purpose: a test file is one process, and all its tests share one stack.
let stack: Promise<TestStack> | undefined
let processRunId: string | undefined

/**
 * The Postgres and Meilisearch of this test run: the ones given by TEST_DATABASE_URL, MEILI_URL and
 * MEILI_MASTER_KEY (set by `pnpm test` for the whole run), or else, for a file run on its own with
 * `npx tap path/to/file.test.ts`, a private embedded stack in a temporary directory on free ports, started
 * once per process. The private stack is stopped and its directory removed when the process exits (by
 * infra's watchdog, so this holds even when the process is killed).
 */
export function getStack(): Promise<TestStack> {
  stack ??= startOrReuseStack(readTestEnv())
  return stack
}

/**
 * Key of the current test run: TEST_RUN_ID when `pnpm test` set it, otherwise one random id per process
 * (each process then builds its own templates, which is right for a private stack).
 */
export function testRunId(): string {
  processRunId ??= readTestEnv().runId ?? randomBytes(4).toString('hex')
  return processRunId
}

async function startOrReuseStack(env: TestEnv): Promise<TestStack> {
  if (env.databaseUrl && env.meiliUrl) {
    return { databaseUrl: env.databaseUrl, meiliUrl: env.meiliUrl, meiliKey: env.meiliKey ?? '' }
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'commons-test-'))
  guardDirectory(dataDir)
  const [pgPort, meiliPort] = (await freePorts(2)) as [number, number]
  const started = await ensureStack({
    dataDir,
    pgPort,
    meiliPort,
    databaseUrl: env.databaseUrl,
    meiliUrl: env.meiliUrl,
    meiliKey: env.meiliKey,
    persistent: false,
  })
  return { databaseUrl: started.databaseUrl, meiliUrl: started.meiliUrl, meiliKey: started.meiliKey }
}
