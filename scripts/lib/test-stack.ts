import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { migrate as migrateBookings } from '@commons/bookings'
import { migrate as migrateCommunity } from '@commons/community'
import { migrate as migrateDiscovery } from '@commons/discovery'
import { guardProcess } from '@commons/infra'
import { migrate as migrateListings } from '@commons/listings'
import { migrate as migrateMessaging } from '@commons/messaging'
import { freePorts, type SmtpTestServer, type TestContext, testDatabase, testMeili } from '@commons/testkit'
import pg from 'pg'
import { REPO_ROOT } from './paths.ts'
import { waitForOk } from './processes.ts'

/** Options of one API call in a test: a bearer token, a JSON body, extra headers. */
export interface CallOptions {
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

/** An API answer in a test; bodies are checked field by field, so they stay loosely typed. */
export interface CallResult {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  body: any
  headers: Headers
}

/** The whole marketplace started as `pnpm start` starts it, on free ports, for one test. */
export interface TestStack {
  /** The web entry point, e.g. http://127.0.0.1:41234 */
  base: string
  ports: { web: number; listings: number; discovery: number; bookings: number; messaging: number; community: number }
  databaseUrl: string
  /** Calls the public API through the web entry point with JSON in and out. */
  call(method: string, path: string, opts?: CallOptions): Promise<CallResult>
  /**
   * Signs a person up through the public API as they would: registers, opens the verification link mailed
   * to them (from the test SMTP server when the stack has one, else from the listings log's DEV MAIL line)
   * and returns the session (`{ user, accessToken, refreshToken, ... }`). Throws if any step fails.
   */
  signUp(body: { email: string; password: string; displayName: string; privacy?: unknown }): Promise<CallResult['body']>
  /** Waits for a verification link mailed to `email` other than the `seen` ones; resolves with its token. */
  verificationToken(email: string, seen?: string[]): Promise<string>
  /** Makes a registered user a moderator with the operators' command (`moderator grant`); throws if it fails. */
  grantModerator(email: string): void
  /**
   * Moves a confirmed booking so that it began minutes ago, as if the day had come: the API books only ahead
   * of the notice period and nobody may complete a booking before its start, and the services run on the
   * wall clock, so the test moves the booking instead of the clock.
   */
  beginBooking(id: string): Promise<void>
  /**
   * Makes a pending job due now and wakes the service's job runner, as if the clock had reached its time:
   * the services run on the wall clock, so a test moves the job (a reminder a day before a booking) rather
   * than the clock. `jobsSchema` is the service's job schema (e.g. `messaging_jobs`), `key` the job's key.
   */
  makeJobDue(jobsSchema: string, key: string): Promise<void>
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>
  /** Sends SIGINT to the stack's whole process group, as a terminal's Ctrl-C does; resolves with the exit code. */
  interrupt(): Promise<number | null>
  /** The pids `pnpm start` supervises right now, from `<DATA_DIR>/processes.json`. */
  pids(): Promise<Record<string, number>>
  /** Everything the processes printed so far (for failure messages). */
  output(): string
}

/**
 * Starts every service through scripts/start.ts against a fresh test database (migrated template) and a
 * Meilisearch index prefix of this test, and waits for the web entry point's /ready. Killed at teardown.
 */
export async function startTestStack(
  t: TestContext,
  env: Record<string, string> = {},
  opts: {
    /** A test SMTP server the services send mail to (sets SMTP_URL and MAIL_FROM unless `env` does). */
    smtp?: SmtpTestServer
  } = {},
): Promise<TestStack> {
  if (opts.smtp) env = { SMTP_URL: opts.smtp.url, MAIL_FROM: '共享资源超市 <noreply@commons.test>', ...env }
  const databaseUrl = await testDatabase(t, {
    template: 'all_services',
    prepare: async (url) => {
      await migrateListings({ DATABASE_URL: url })
      await migrateDiscovery({ DATABASE_URL: url })
      await migrateBookings({ DATABASE_URL: url })
      await migrateMessaging({ DATABASE_URL: url })

      await migrateCommunity({ DATABASE_URL: url })
    },
  })
  const meili = await testMeili(t)
  const dataDir = await mkdtemp(path.join(tmpdir(), 'commons-stack-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const [web, listings, discovery, bookings, messaging, community] = (await freePorts(6)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]

  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.key,
      MEILI_INDEX_PREFIX: meili.prefix,
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      WEB_PORT: String(web),
      LISTINGS_PORT: String(listings),
      DISCOVERY_PORT: String(discovery),
      BOOKINGS_PORT: String(bookings),
      MESSAGING_PORT: String(messaging),
      COMMUNITY_PORT: String(community),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, like a terminal's foreground job, so interrupt() can signal all of it.
    detached: true,
  })
  // Detached, it would outlive a test process that is killed; the watchdog stops it then.
  const release = guardProcess(child.pid as number, 'SIGTERM', 15_000)
  let output = ''
  // Woken on every chunk of output, for those waiting for a line (a development mail).
  const outputWaiters = new Set<() => void>()
  const onOutput = (chunk: Buffer) => {
    output += chunk
    for (const wake of [...outputWaiters]) wake()
  }
  child.stdout.on('data', onOutput)
  child.stderr.on('data', onOutput)
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      release()
      resolve(code)
    }),
  )
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
  })

  await waitForOk(`http://127.0.0.1:${web}/ready`, 120_000, () => child.exitCode !== null).catch((error) => {
    throw new Error(`${(error as Error).message}\n${output}`)
  })
  const base = `http://127.0.0.1:${web}`
  const tokensIn = (text: string) => [...text.matchAll(/\/verify-email\?token=([\w-]+)/g)].map((m) => m[1] as string)
  /** Every verification token mailed to `email` so far, oldest first. */
  const tokensMailedTo = (email: string): string[] => {
    if (opts.smtp) {
      return opts.smtp.received.filter((m) => m.to.includes(email)).flatMap((m) => tokensIn(m.mail.text ?? ''))
    }
    if (env.SMTP_URL) throw new Error('the stack sends mail by SMTP: pass the test SMTP server as opts.smtp')
    if (env.LOG_LEVEL === 'error' || env.LOG_LEVEL === 'fatal' || env.LOG_LEVEL === 'silent')
      throw new Error('development mails are logged at warn: start the stack with LOG_LEVEL warn or lower')
    // Whole lines only: the last piece may be a line still being written, with half a token.
    return output
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.includes('DEV MAIL') && line.includes(` to ${email}: `))
      .flatMap(tokensIn)
  }
  const verificationToken = (email: string, seen: string[] = []) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const token = tokensMailedTo(email).findLast((candidate) => !seen.includes(candidate))
        if (!token) return false
        done()
        resolve(token)
        return true
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`no verification link was mailed to ${email} within 30 s`))
      }, 30_000)
      const stopWaiting = opts.smtp ? undefined : () => outputWaiters.delete(check)
      const done = () => {
        clearTimeout(timer)
        stopWaiting?.()
      }
      if (check()) return
      if (opts.smtp) {
        opts.smtp
          .waitFor((m) => m.to.includes(email) && tokensIn(m.mail.text ?? '').some((x) => !seen.includes(x)), 30_000)
          .then(
            () => check(),
            () => {},
          )
      } else outputWaiters.add(check)
    })
  const call: TestStack['call'] = async (method, path, opts = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers }
  }
  return {
    base,
    call,
    verificationToken,
    signUp: async (body) => {
      const seen = tokensMailedTo(body.email)
      const registered = await call('POST', '/v1/auth/register', { body })
      if (registered.status !== 202)
        throw new Error(`register ${body.email}: ${registered.status} ${JSON.stringify(registered.body)}`)
      const token = await verificationToken(body.email, seen)
      const verified = await call('POST', '/v1/auth/verify-email', { body: { token } })
      if (verified.status !== 201)
        throw new Error(`verify ${body.email}: ${verified.status} ${JSON.stringify(verified.body)}`)
      return verified.body
    },
    grantModerator: (email) => {
      const res = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--conditions=development', 'services/listings/src/cli.ts', 'moderator', 'grant', email],
        { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, encoding: 'utf8' },
      )
      if (res.status !== 0) throw new Error(`moderator grant ${email} failed: ${res.stderr}`)
    },
    beginBooking: async (id) => {
      const client = new pg.Client({ connectionString: databaseUrl })
      await client.connect()
      try {
        const moved = await client.query(
          `update bookings.bookings
              set start_at = now() - interval '5 minutes',
                  end_at = now() - interval '5 minutes' + (end_at - start_at),
                  busy_until = now() - interval '5 minutes' + (busy_until - start_at)
            where id = $1 and status = 'confirmed'`,
          [id],
        )
        if (moved.rowCount !== 1) throw new Error(`booking ${id} is not a confirmed booking`)
      } finally {
        await client.end()
      }
    },
    makeJobDue: async (jobsSchema, key) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(jobsSchema)) throw new Error(`not a jobs schema: ${jobsSchema}`)
      const client = new pg.Client({ connectionString: databaseUrl })
      await client.connect()
      try {
        const moved = await client.query(
          `update ${jobsSchema}._private_jobs set run_at = now() where key = $1 and locked_at is null`,
          [key],
        )
        if (moved.rowCount !== 1) throw new Error(`no pending job ${key} in ${jobsSchema}`)
        // Wakes the runner now rather than at its next poll.
        await client.query(`select pg_notify('jobs:insert', '{"count":1}')`)
      } finally {
        await client.end()
      }
    },
    ports: { web, listings, discovery, bookings, messaging, community },
    databaseUrl,
    stop: async () => {
      child.kill('SIGTERM')
      return exited
    },
    interrupt: async () => {
      process.kill(-(child.pid as number), 'SIGINT')
      return exited
    },
    pids: async () => {
      try {
        return JSON.parse(await readFile(path.join(dataDir, 'processes.json'), 'utf8')).units
      } catch {
        return {}
      }
    },
    output: () => output,
  }
}

/**
 * Makes someone a member the only way there is (issue 13): an admin invites their email, they accept.
 * Throws with the answer when either step fails; resolves with the invitee's fresh token naming the role.
 */
export async function joinOrganization(
  stack: Pick<TestStack, 'call'>,
  adminToken: string,
  organizationId: string,
  invitee: { email: string; token: string },
  role: 'owner' | 'admin' | 'member' = 'member',
): Promise<string> {
  const invited = await stack.call('POST', `/v1/organizations/${organizationId}/members`, {
    token: adminToken,
    body: { email: invitee.email, role },
  })
  if (invited.status !== 202)
    throw new Error(`invite ${invitee.email}: ${invited.status} ${JSON.stringify(invited.body)}`)
  const accepted = await stack.call('POST', `/v1/invitations/${invited.body.id}/accept`, {
    token: invitee.token,
    body: {},
  })
  if (accepted.status !== 200)
    throw new Error(`accept ${invitee.email}: ${accepted.status} ${JSON.stringify(accepted.body)}`)
  return accepted.body.accessToken as string
}
