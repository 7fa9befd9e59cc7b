import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'

/** Options of {@link createDb}. */
export interface DbOptions {
  /** A Postgres connection string. */
  url: string
  /** The service's own schema; unqualified names resolve to it first, then to `public` (extensions). */
  schema: string
  /** Pool size per process (default 10). */
  poolMax?: number
  /** Shown in `pg_stat_activity`, so a slow query can be traced to its service. */
  applicationName?: string
  /**
   * Told when a pooled connection fails, idle or checked out (Postgres restarted, the backend terminated,
   * the network dropped). The pool replaces the connection; the query that was running, if any, rejects.
   */
  onConnectionError?: (error: Error) => void
  /** How long a request waits for a connection before it fails (default 5000 ms). */
  connectionTimeoutMs?: number
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Throws unless `schema` is a plain lower-case identifier, safe to splice into SQL and startup options. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`)
  }
}

const OID = { int8: 20, date: 1082, numeric: 1700 } as const

function parseInt8(value: string): number {
  const n = Number(value)
  // A wrong number is worse than a failing query: ids and counts beyond 2^53 need a schema decision.
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} does not fit a JavaScript number`)
  return n
}

function parseNumeric(value: string): number {
  const n = Number(value)
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
    throw new RangeError(`numeric value ${value} does not fit a JavaScript number`)
  }
  return n
}

/*
 * Type parsing, per pool rather than on pg's global `types` so nothing leaks between pools:
 * - int8 -> number. `count(*)`, identity ids and `sum(int)` are int8 and far below 2^53; a value beyond it
 *   throws instead of silently rounding.
 * - numeric -> number. Money is integer minor units everywhere, so numeric only shows up as an aggregate
 *   (`sum(int8)`, `avg`); integers beyond 2^53 throw, fractions are ordinary doubles.
 * - date -> the 'YYYY-MM-DD' string: a calendar date has no time zone, and pg's default turns it into
 *   local midnight, which shifts the day in any zone west of the server's.
 * - timestamptz -> Date (pg's default), jsonb -> parsed JSON (pg's default).
 */
const PARSERS = new Map<number, (value: string) => unknown>([
  [OID.int8, parseInt8],
  [OID.numeric, parseNumeric],
  [OID.date, (value) => value],
])

const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format !== 'binary' && PARSERS.get(oid)) ||
    pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
}

/**
 * A kysely instance on a pg pool whose sessions resolve names in `schema` first (each service owns one
 * schema and never touches another's), with camelCase in TypeScript and snake_case in Postgres.
 * Close it with `db.destroy()`.
 */
export function createDb<DB>(opts: DbOptions): Kysely<DB> {
  assertSchemaName(opts.schema)
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax ?? 10,
    application_name: opts.applicationName,
    // Set at connection start so every pooled session, including ones a reconnect opens, gets it.
    options: `-c search_path=${opts.schema},public`,
    // Fail fast when Postgres is down, so readiness checks and requests answer 503 instead of queueing.
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5000,
    types: typeParsers,
  })
  const reported = new WeakSet<Error>()
  const report = (error: Error) => {
    // pg emits one failure on the client and, while idle, again through the pool: tell it once.
    if (reported.has(error)) return
    reported.add(error)
    opts.onConnectionError?.(error)
  }
  // An idle client's error is re-emitted on the pool; unhandled, it would end the process.
  pool.on('error', report)
  // pg-pool removes its own 'error' listener from a client while it is checked out, so a backend
  // terminated between two queries of a transaction (57P01, "Connection terminated unexpectedly") would be
  // an unhandled 'error' event that ends the process. This listener stays for the client's whole life; the
  // next query on the broken client rejects, and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', report)
  })
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] })
}

/** Readiness check: resolves when the database answers a trivial query. */
export async function ping<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db)
}
