import { randomUUID } from 'node:crypto'
import { EVENT_CATALOGUE, LISTINGS_EVENTS } from '@commons/contracts'
import { sql } from 'kysely'
import t from 'tap'
import { type AnyTransaction, appendEvent, eventAppendParts, readFeed } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'

// Compile-time checks, never called: the catalogue types each producer's event, so typecheck fails when one
// of these stops being an error.
export function appendOffCatalogue(trx: AnyTransaction) {
  return [
    appendEvent(trx, {
      type: LISTINGS_EVENTS.needClosed,
      entityId: 'n1',
      version: 2,
      // @ts-expect-error a payload its consumers' schema refuses (status is not a need status)
      payload: { needId: 'n1', status: 'gone', version: 2 },
    }),
    // @ts-expect-error the payload of another event type
    appendEvent(trx, { type: LISTINGS_EVENTS.needClosed, entityId: 'n1', version: 2, payload: { need: {} } }),
    // @ts-expect-error a type the catalogue does not hold
    appendEvent(trx, { type: 'need.exploded', entityId: 'n1', version: 2, payload: {} }),
  ]
}

t.test('an event appended by the catalogue is read back with a payload its schema parses', async (t) => {
  const { producer } = await feedDatabases(t)
  const needId = randomUUID()
  await producer.transaction().execute((trx) =>
    appendEvent(trx, {
      type: LISTINGS_EVENTS.needClosed,
      entityId: needId,
      version: 2,
      payload: { needId, status: 'closed', version: 2 },
    }),
  )
  const [event] = (await readFeed(producer, { limit: 10 })).events
  t.equal(event?.type, LISTINGS_EVENTS.needClosed)
  t.same(EVENT_CATALOGUE[LISTINGS_EVENTS.needClosed].parse(event?.payload), { needId, status: 'closed', version: 2 })
})

t.test('eventAppendParts appends within the caller’s statement only when its source has a row', async (t) => {
  const { producer } = await feedDatabases(t)
  const append = (needId: string, happened: boolean) => {
    const event = eventAppendParts(
      {
        type: LISTINGS_EVENTS.needClosed,
        entityId: needId,
        version: 2,
        payload: { needId, status: 'closed', version: 2 },
      },
      'change',
    )
    return sql<{ notified: string }>`with change as (select 1 where ${happened}), appended as (${event.insert})
      select (select count(${event.notify}) from appended) as notified`.execute(producer)
  }
  const kept = randomUUID()
  t.same((await append(randomUUID(), false)).rows, [{ notified: '0' }])
  t.same((await append(kept, true)).rows, [{ notified: '1' }])
  const events = (await readFeed(producer, { limit: 10 })).events
  t.same(
    events.map((e) => e.entityId),
    [kept],
    'only the statement whose change happened appended its event',
  )
})
