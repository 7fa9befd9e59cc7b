import type { ColumnType, Generated } from 'kysely'

/** The outbox: one row per event, appended in the transaction of the change it describes. */
export interface EventsTable {
  id: Generated<number>
  /** The appending transaction's id (xid8), as text; orders the feed by commit (see feed.ts). */
  tx: Generated<string>
  type: string
  entityId: string
  version: number
  payload: ColumnType<Record<string, unknown>, string, string>
  occurredAt: ColumnType<Date, never, never>
}

/** Where each feed consumer of this schema has read up to. */
export interface FeedCursorsTable {
  consumer: string
  /** The opaque cursor of the last event whose effect committed. */
  position: string
  updatedAt: ColumnType<Date, never, Date>
}

/** The tables this package's own migrations create in every service schema; add them to a service's DB type. */
export interface KitTables {
  events: EventsTable
  feedCursors: FeedCursorsTable
}
