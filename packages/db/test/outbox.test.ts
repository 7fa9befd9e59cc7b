import { randomUUID } from 'node:crypto'
import { EVENT_CATALOGUE, LISTINGS_EVENTS } from '@commons/contracts'
import t from 'tap'
import { type AnyTransaction, appendEvent, readFeed } from '../src/index.ts'
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
