import pg from 'pg'
import { call, waitFor } from './api.ts'
import type { Acknowledged, Actors } from './load.ts'

/** Acknowledged writes that cannot be found any more, as readable lines. */
export async function missingWrites(
  base: string,
  databaseUrl: string,
  actors: Actors,
  acked: Acknowledged,
): Promise<string[]> {
  const missing: string[] = []
  // Accounts are looked up in Postgres: logging in as each would run into the login rate limit.
  const emails = new Set((await query(databaseUrl, 'select email from listings.users')).map((r) => String(r.email)))
  for (const user of acked.users) if (!emails.has(user.email)) missing.push(`user ${user.email} is not stored`)
  const checks: (() => Promise<void>)[] = [
    ...acked.listings.map((id) => async () => {
      const res = await call(base, 'GET', `/v1/listings/${id}`, { token: actors.providerToken })
      if (res.status !== 200) missing.push(`listing ${id}: ${res.status} ${res.code ?? ''}`)
    }),
    ...acked.bookings.map(({ id }) => async () => {
      const res = await call(base, 'GET', `/v1/bookings/${id}`, { token: actors.requesterToken })
      if (res.status !== 200) missing.push(`booking ${id}: ${res.status} ${res.code ?? ''}`)
    }),
  ]
  // A few at a time: the point is to read everything back, not to load the stack again.
  for (let i = 0; i < checks.length; i += 4) await Promise.all(checks.slice(i, i + 4).map((check) => check()))
  return missing
}

/** Pairs of slot-holding bookings of one listing whose busy ranges overlap (the exclusion constraint's job). */
export async function slotsHeldTwice(databaseUrl: string): Promise<string[]> {
  const rows = await query(
    databaseUrl,
    `select a.id as a, b.id as b, a.listing_id as listing
       from bookings.bookings a
       join bookings.bookings b
         on a.listing_id = b.listing_id and a.id < b.id
        and tstzrange(a.start_at, a.busy_until, '[)') && tstzrange(b.start_at, b.busy_until, '[)')
      where a.status in ('pending_payment', 'requested', 'confirmed', 'completed', 'no_show')
        and b.status in ('pending_payment', 'requested', 'confirmed', 'completed', 'no_show')`,
  )
  return rows.map((row) => `listing ${row.listing}: bookings ${row.a} and ${row.b} hold the same time`)
}

/**
 * Differences between the published listings in Postgres and the listings in the search index, once the
 * index had `timeoutMs` to converge (empty when they agree).
 */
export async function indexDifferences(
  databaseUrl: string,
  meili: { url: string; key: string },
  timeoutMs: number,
): Promise<string[]> {
  let differences: string[] = []
  await waitFor(
    async () => {
      const published = new Set(
        (await query(databaseUrl, `select id from listings.listings where status = 'published'`)).map((r) =>
          String(r.id),
        ),
      )
      const indexed = new Set(await indexedIds(meili))
      differences = [
        ...[...published].filter((id) => !indexed.has(id)).map((id) => `listing ${id} is published but not indexed`),
        ...[...indexed].filter((id) => !published.has(id)).map((id) => `listing ${id} is indexed but not published`),
      ]
      return differences.length === 0
    },
    timeoutMs,
    500,
  )
  return differences
}

async function indexedIds(meili: { url: string; key: string }): Promise<string[]> {
  const res = await fetch(`${meili.url}/indexes/listings/documents?fields=id&limit=100000`, {
    headers: { authorization: `Bearer ${meili.key}` },
    signal: AbortSignal.timeout(10_000),
  })
  if (!res.ok) throw new Error(`Meilisearch answers ${res.status}`)
  const body = (await res.json()) as { results: { id: string }[] }
  return body.results.map((doc) => String(doc.id))
}

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  client.on('error', () => {})
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}

/** Ends every client backend of the database but this one's (the "lost connection" fault). */
export async function terminateBackends(databaseUrl: string): Promise<number> {
  const rows = await query(
    databaseUrl,
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
  )
  return Number(rows[0]?.n ?? 0)
}
