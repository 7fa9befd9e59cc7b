import type { Kysely } from 'kysely'
import type { FeedReader } from './consumer.ts'
import { createDb } from './database.ts'
import { allEventsOnFeed, readFeed } from './feed.ts'
import { migrateToLatest } from './migrate.ts'
import { appendEvent, type NewEvent } from './outbox.ts'

/**
 * Gives each named schema of a consumer's test database the kit tables of a producer (an empty outbox), so
 * the test can stand in for the producing services. Meant for a template database's `prepare`.
 */
export async function migrateStandInFeeds(url: string, schemas: readonly string[]): Promise<void> {
  for (const schema of schemas) {
    const db = createDb({ url, schema, poolMax: 1 })
    try {
      await migrateToLatest(db, { schema, migrations: {} })
    } finally {
      await db.destroy()
    }
  }
}

/** Producers' outboxes a test writes to, and the feeds the consumer under test reads from them. */
export interface StandInFeeds<S extends string> {
  dbs: Record<S, Kysely<unknown>>
  /** Function sources for the consumer, one per schema, reading that schema's outbox. */
  feeds: Record<S, FeedReader>
  /**
   * Appends the events in one transaction of the schema's outbox and resolves once the feed shows them, so
   * that a consumer drained next cannot miss them.
   */
  append(schema: S, ...events: NewEvent[]): Promise<void>
  destroy(): Promise<void>
}

/** Opens the stand-in producers' outboxes that {@link migrateStandInFeeds} prepared. */
export function openStandInFeeds<S extends string>(url: string, schemas: readonly S[]): StandInFeeds<S> {
  const dbs = Object.fromEntries(schemas.map((schema) => [schema, createDb<unknown>({ url, schema, poolMax: 2 })]))
  const feeds = Object.fromEntries(
    schemas.map((schema): [S, FeedReader] => [schema, (after, limit) => readFeed(dbs[schema]!, { after, limit })]),
  )
  return {
    dbs: dbs as Record<S, Kysely<unknown>>,
    feeds: feeds as Record<S, FeedReader>,
    async append(schema, ...events) {
      const db = dbs[schema]!
      await db.transaction().execute(async (trx) => {
        for (const event of events) await appendEvent(trx, event)
      })
      await allEventsOnFeed(db)
    },
    destroy: async () => {
      await Promise.all(Object.values(dbs).map((db) => db.destroy()))
    },
  }
}

/**
 * A consumer's app on stand-in feeds: opens the producers' outboxes on `url`, builds the app on their feeds,
 * and closes both when the test ends (the app first, so its consumers stop before the outboxes close).
 */
export async function appOnStandInFeeds<S extends string, A extends { close(): Promise<unknown> }>(
  t: { teardown(fn: () => Promise<void>): void },
  url: string,
  schemas: readonly S[],
  build: (feeds: Record<S, FeedReader>) => Promise<A>,
): Promise<{ app: A; producers: StandInFeeds<S> }> {
  const producers = openStandInFeeds(url, schemas)
  const app = await build(producers.feeds).catch(async (error: unknown) => {
    await producers.destroy()
    throw error
  })
  t.teardown(async () => {
    await app.close()
    await producers.destroy()
  })
  return { app, producers }
}

/**
 * The number of rows in each of the tables, keyed by table: tests compare two of these to show that a
 * refused request, or a load run a second time, wrote nothing.
 */
export async function rowCounts<DB, T extends keyof DB & string>(
  db: Kysely<DB>,
  tables: readonly T[],
): Promise<Record<T, number>> {
  // The table is a type parameter here, which kysely's builder cannot narrow; each name is a table of DB.
  const anyDb = db as unknown as Kysely<{ table: { id: unknown } }>
  const counts = await Promise.all(
    tables.map(async (table) => {
      const row = await anyDb
        .selectFrom(table as 'table')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return [table, Number(row.n)] as const
    }),
  )
  return Object.fromEntries(counts) as Record<T, number>
}
