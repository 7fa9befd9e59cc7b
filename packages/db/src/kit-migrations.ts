import { type Kysely, type Migration, sql } from 'kysely'

/**
 * This package's own migrations, applied to every service schema before the service's. Like all
 * migrations they are never edited after they land; a change is a new entry.
 */
export function kitMigrations(schema: string): Record<string, Migration> {
  return {
    '2026-11-21T1000-events': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .withSchema(schema)
          .createTable('events')
          .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
          // The appending transaction's id: the feed is ordered and made safe by it (see feed.ts).
          .addColumn('tx', sql`xid8`, (col) => col.notNull().defaultTo(sql`pg_current_xact_id()`))
          .addColumn('type', 'text', (col) => col.notNull())
          .addColumn('entity_id', 'text', (col) => col.notNull())
          .addColumn('version', 'integer', (col) => col.notNull())
          .addColumn('payload', 'jsonb', (col) => col.notNull())
          .addColumn('occurred_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
          .execute()
        await db.schema.withSchema(schema).createIndex('events_tx_id_idx').on('events').columns(['tx', 'id']).execute()
      },
    },
    '2026-11-21T1001-feed-cursors': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .withSchema(schema)
          .createTable('feed_cursors')
          .addColumn('consumer', 'text', (col) => col.primaryKey())
          .addColumn('position', 'text', (col) => col.notNull())
          .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
          .execute()
      },
    },
  }
}
