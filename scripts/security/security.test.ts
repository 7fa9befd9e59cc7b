import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import t from 'tap'
import { REPO_ROOT } from '../lib/paths.ts'
import { startTestStack, type TestStack } from '../lib/test-stack.ts'
import { CASES, type Case, type Expect, expectationOf, ROLES, type Role } from './cases.ts'
import { buildWorld, type World } from './world.ts'

/**
 * `pnpm test:security`. Every operation of the merged OpenAPI document is called as an anonymous caller
 * and as a stranger (signed in, in an organization of their own, with no relation to the data), against a
 * world of real objects, and must answer as its case in cases.ts says: never a 2xx on someone else's data,
 * never a 5xx. Then a corpus of hostile inputs goes to every write route as the data's own owner, which
 * must answer 4xx and leave the database as it was.
 */

interface Operation {
  method: string
  path: string
  operationId: string
  /** Whether the operation takes a JSON body (the hostile corpus goes to these). */
  takesBody: boolean
}

const document = JSON.parse(readFileSync(path.join(REPO_ROOT, 'openapi', 'commons.json'), 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string; requestBody?: unknown }>>
}
const operations: Operation[] = Object.entries(document.paths).flatMap(([p, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path: p,
    operationId: op.operationId ?? `${method} ${p}`,
    takesBody: op.requestBody !== undefined,
  })),
)

t.test('every operation has a case, and every case an operation', async (t) => {
  const missing = operations.filter((op) => !CASES[op.operationId]).map((op) => op.operationId)
  t.same(missing, [], 'operations without a case in scripts/security/cases.ts')
  const known = new Set(operations.map((op) => op.operationId))
  t.same(
    Object.keys(CASES).filter((id) => !known.has(id)),
    [],
    'cases of operations that no longer exist',
  )
})

function urlOf(op: Operation, c: Case, world: World, role?: Role): string {
  const ids: Record<string, string> = {
    organization: world.victimOrg,
    listing: world.listing,
    booking: world.booking,
    need: world.need,
    rating: world.rating,
    member: world.victimOrg,
    user: world.requester.userId,
    nothing: world.victimOrg,
    invitation: world.invitation,
  }
  // The member's own membership is theirs to leave: as the member, the path names the owner's instead.
  const userId = role === 'member' ? world.victim.userId : world.member.userId
  let url = op.path
    .replace('{id}', ids[c.target ?? 'nothing']!)
    .replace('{userId}', userId)
    .replace('{invitationId}', world.invitation)
    // An id that names no survey text (the world's surveys have none): the answer is the authorization's.
    .replace('{textId}', world.victimOrg)
  if (c.query) {
    const named = (world.queries as Record<string, string>)[c.query]
    url += `?${named ?? c.query}`
  }
  return url
}

function bodyOf(c: Case, world: World): unknown {
  if (typeof c.body === 'string') return (world.bodies as Record<string, unknown>)[c.body]
  return c.body
}

/** Whether an answer's status fits the expectation; undefined when it does, else what was expected. */
function mismatch(expect: Expect, status: number, code: string | undefined, allow: string[] = []): string | undefined {
  if (status >= 500) return code && allow.includes(code) ? undefined : 'no 5xx'
  if (typeof expect === 'number') return status === expect ? undefined : String(expect)
  const fits: Record<Exclude<Expect, number>, (s: number) => boolean> = {
    public: () => true,
    own: (s) => s < 500,
    auth: (s) => s === 401,
    denied: (s) => s === 403 || s === 404,
    refused: (s) => s >= 400 && s < 500,
  }
  return fits[expect](status) ? undefined : expect
}

/** Rows of every table of the services' schemas, as one fingerprint per table (job and cursor tables aside). */
async function fingerprint(databaseUrl: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema in ('listings', 'bookings', 'discovery')
        and table_name not in ('feed_cursors', 'kysely_migration', 'kysely_migration_lock')`)
    const prints = new Map<string, string>()
    for (const { schema, name } of tables) {
      const { rows } = await client.query<{ print: string | null }>(
        `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as print from "${schema}"."${name}" t`,
      )
      prints.set(`${schema}.${name}`, rows[0]?.print ?? '')
    }
    return prints
  } finally {
    await client.end()
  }
}

const changedTables = (before: Map<string, string>, after: Map<string, string>) =>
  [...after].filter(([table, print]) => before.get(table) !== print).map(([table]) => table)

t.test('the security suite against a running stack', async (t) => {
  // Every operation as six callers plus the hostile corpus is thousands of requests from one address within a
  // minute: the per-address limit (600 a minute, tested in the services' abuse tests) would answer 429 to the
  // later ones and hide what each route itself answers.
  // The same for the stricter limit of the sign-in routes, whose cases expect precise answers.
  const stack: TestStack = await startTestStack(t, { RATE_LIMIT_MAX: '1000000', AUTH_RATE_LIMIT_MAX: '1000000' })
  const world = await buildWorld(stack)
  const report: string[] = []

  t.test('every caller role gets what the case says, never 5xx', async (t) => {
    const tokens = {
      anonymous: undefined,
      stranger: world.stranger.accessToken,
      removedAdmin: world.removedAdmin.accessToken,
      member: world.member.accessToken,
      moderator: world.moderator.accessToken,
    }
    for (const op of operations) {
      const c = CASES[op.operationId]
      if (!c) continue
      // The moderator last: a moderator's action may succeed and change the victim's data for what follows.
      for (const role of ROLES) {
        const token = tokens[role]
        const expected = expectationOf(c, role)
        const body = bodyOf(c, world) ?? (op.method === 'GET' || op.method === 'DELETE' ? undefined : {})
        const res = await send(stack, op.method, urlOf(op, c, world, role), { token, body })
        const wrong = mismatch(expected, res.status, res.body?.code, c.allow)
        report.push(`${op.operationId} ${role}: ${res.status} ${res.body?.code ?? ''}`)
        t.notOk(wrong, `${op.method} ${op.path} as ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`, {
          expected: wrong,
        })
      }
    }
  })

  t.test('hostile inputs to every write route answer 4xx and write nothing', async (t) => {
    const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) })
    const corpus: Array<[string, (valid: Record<string, unknown>) => unknown]> = [
      ['lone surrogate', (v) => spoil(v, '\ud800')],
      ['NUL', (v) => spoil(v, 'a\u0000b')],
      // Past every field's maxLength, within the body limit (oversized bodies are the entry point's 413).
      ['over-long text', (v) => spoil(v, '长'.repeat(5_001))],
      ['huge number', (v) => spoilNumbers(v, 1e308)],
      ['integer past 2^53', (v) => spoilNumbers(v, 2 ** 64)],
      ['negative number', (v) => spoilNumbers(v, -1)],
      [
        'wrong types',
        (v) => Object.fromEntries((Object.keys(v).length ? Object.keys(v) : ['reason']).map((k) => [k, [{}]])),
      ],
      ['mass assignment', (v) => ({ ...v, moderator: true, role: 'owner', status: 'published', verified: true })],
      [
        'prototype pollution',
        (v) =>
          JSON.parse(
            `{"__proto__": {"moderator": true}${Object.keys(v).length ? ',' : ''}${JSON.stringify(v).slice(1)}`,
          ),
      ],
      ['deep JSON', () => deep(200)],
      ['array instead of object', () => [1, 2, 3]],
    ]
    // Operations that take no body ignore one, so only those with a body are fed the corpus (the entry
    // point's path checks have a test of their own).
    const writes = operations.filter((op) => op.takesBody && op.operationId !== 'receiveStripeWebhook')
    const tokenFor = (op: Operation) =>
      /moderation|hideRating|unhideRating|reindex/i.test(op.operationId + op.path)
        ? world.moderator.accessToken
        : op.operationId === 'createBooking' || op.operationId === 'rateBooking'
          ? world.requester.accessToken
          : world.victim.accessToken
    // Consumers may still be applying what the first part wrote; start from a database at rest.
    let before = await fingerprint(stack.databaseUrl)
    for (let settled = false; !settled; ) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const again = await fingerprint(stack.databaseUrl)
      settled = changedTables(before, again).length === 0
      before = again
    }
    for (const op of writes) {
      const c = CASES[op.operationId]
      if (!c) continue
      const valid = bodyOf(c, world)
      const base = valid && typeof valid === 'object' && !Array.isArray(valid) ? (valid as Record<string, unknown>) : {}
      // One operation's corpus at once: the suite stays within its time on a busy machine.
      const answers = await Promise.all(
        corpus.map(async ([name, make]) => ({
          name,
          res: await send(stack, op.method, urlOf(op, c, world), {
            token: tokenFor(op),
            body: make(structuredClone(base)),
          }),
        })),
      )
      for (const { name, res } of answers)
        t.ok(
          res.status >= 400 && res.status < 500,
          `${op.method} ${op.path}, ${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
        )
      // Raw bytes no JSON parser takes.
      const raw = await fetch(`${stack.base}${urlOf(op, c, world)}`, {
        method: op.method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(op)}` },
        body: '{"a": "\\ud800", ',
      })
      t.ok(raw.status >= 400 && raw.status < 500, `${op.method} ${op.path}, malformed JSON: ${raw.status}`)
    }
    t.same(changedTables(before, await fingerprint(stack.databaseUrl)), [], 'no table changed')
  })

  t.test('bodies over the limit answer 413 at every write route, through the entry point', async (t) => {
    // The default BODY_LIMIT_BYTES (1 MiB) plus 300 KB: once answered 503 when the entry point relayed it.
    const oversized = JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 300 * 1024) })
    const writes = operations.filter((op) => op.takesBody && op.operationId !== 'uploadPhoto')
    for (const op of writes) {
      const c = CASES[op.operationId]
      if (!c) continue
      const res = await fetch(`${stack.base}${urlOf(op, c, world)}`, {
        method: op.method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${world.victim.accessToken}` },
        body: oversized,
      })
      await res.arrayBuffer()
      t.equal(res.status, 413, `${op.method} ${op.path}: ${res.status}`)
    }
  })

  t.teardown(() => {
    // SECURITY_REPORT=1 prints every answer; a path writes them to that file instead (the run's output is long).
    const out = process.env.SECURITY_REPORT
    if (out === '1') console.log(report.join('\n'))
    else if (out) writeFileSync(out, `${report.join('\n')}\n`)
  })
})

/** The body with every string (at any depth) replaced by `value`; a body without strings gains one. */
function spoil(body: Record<string, unknown>, value: string): unknown {
  let found = false
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      found = true
      return value
    }
    if (Array.isArray(v)) return v.map(walk)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    return v
  }
  const out = walk(body) as Record<string, unknown>
  return found ? out : { ...out, reason: value }
}

/** One API call; JSON answers parsed, others (iCalendar, CSV) kept as text. */
async function send(
  stack: TestStack,
  method: string,
  url: string,
  opts: { token?: string | undefined; body?: unknown },
): Promise<{ status: number; body: { code?: string } & Record<string, unknown> }> {
  const res = await fetch(`${stack.base}${url}`, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      // Updates need If-Match; with it, the answer is the authorization's rather than the precondition's.
      ...(method === 'PATCH' ? { 'if-match': '"2"' } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  })
  const text = await res.text()
  const json = /json/.test(res.headers.get('content-type') ?? '') && text
  return { status: res.status, body: json ? JSON.parse(text) : { text: text.slice(0, 80) } }
}

/** The body with every number replaced by `value`, or with an `amount` of it when it has none. */
function spoilNumbers(body: Record<string, unknown>, value: number): unknown {
  let found = false
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') {
      found = true
      return value
    }
    if (Array.isArray(v)) return v.map(walk)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    return v
  }
  const out = walk(body) as Record<string, unknown>
  return found ? out : { ...out, amount: value }
}
