import type { OutboxEvent } from '@commons/contracts'
import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { KitTables } from './tables.ts'

/**
 * A kysely transaction of any database type (also a `ControlledTransaction`). A plain `Kysely` does not
 * fit: its `isTransaction` is `boolean`, not `true`. Structural because `Transaction<DB>` would not infer
 * `DB` from a `ControlledTransaction`.
 */
export type AnyTransaction = Pick<Transaction<unknown>, 'isTransaction' | 'getExecutor'>

/**
 * An event to append to the outbox: a type of the event catalogue in @commons/contracts with that type's
 * payload; `version` is the entity's version after the change.
 */
export type NewEvent = OutboxEvent

/**
 * Appends an event to the service's outbox. It takes a transaction, never a plain `Kysely`, so the event
 * commits or rolls back together with the change it describes: no event without its change, no change
 * without its event. The event is typed by the catalogue, so a producer cannot write a payload its
 * consumers' schema would refuse.
 */
export async function appendEvent(trx: AnyTransaction, event: NewEvent): Promise<void> {
  await insertEvent(trx, event)
}

/**
 * `appendEvent` for an event map other than the Commons catalogue (event type to payload type). The feed
 * machinery is generic; its own tests append events of a map of theirs with it.
 */
export function eventAppender<M extends Record<string, unknown>>(): (
  trx: AnyTransaction,
  event: OutboxEvent<M>,
) => Promise<void> {
  return insertEvent
}

async function insertEvent(
  trx: AnyTransaction,
  event: { type: string; entityId: string; version: number; payload: unknown },
): Promise<void> {
  // One statement: the notify reads from the insert. It is delivered when (and only if) the transaction
  // commits, once per transaction and schema, and wakes the feed's long-polling readers (see
  // feed-notify.ts). Two statements were two round trips on every write of every service.
  await (trx as unknown as Transaction<KitTables>)
    .with('appended', (db) =>
      db
        .insertInto('events')
        .values({
          type: event.type,
          entityId: event.entityId,
          version: event.version,
          payload: JSON.stringify(event.payload),
        })
        .returning('id'),
    )
    .selectFrom('appended')
    .select(sql`pg_notify(${FEED_CHANNEL}, current_schema())`.as('notified'))
    .execute()
}

/**
 * `appendEvent` as parts of one larger statement, for a write that is a single statement of CTEs (and then
 * needs no transaction of its own): `insert` appends the event once per row of the relation `from` (name a
 * CTE that returns one row when the change happened and none when it was refused), and `notify` is the
 * expression that announces it; the statement must select `notify` over the insert's rows (e.g.
 * `(select count(${notify}) from appended)`), since Postgres runs a CTE without side effects only when it
 * is read. Same guarantees as `appendEvent`: the event commits if and only if the statement does.
 */
export function eventAppendParts(
  event: NewEvent,
  from: string,
): { insert: RawBuilder<{ id: string }>; notify: RawBuilder<unknown> } {
  return {
    insert: sql<{ id: string }>`insert into events (type, entity_id, version, payload)
      select ${event.type}::text, ${event.entityId}::text, ${event.version}::int, ${JSON.stringify(event.payload)}::jsonb
      from ${sql.table(from)}
      returning id`,
    notify: sql`pg_notify(${FEED_CHANNEL}, current_schema())`,
  }
}

/** The Postgres NOTIFY channel of every outbox; the payload is the schema whose feed has a new event. */
export const FEED_CHANNEL = 'commons_feed'
