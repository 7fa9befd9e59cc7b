import t from 'tap'
import {
  BOOKINGS_EVENTS,
  COMMUNITY_EVENTS,
  EVENT_CATALOGUE,
  isEventType,
  LISTINGS_EVENTS,
  MESSAGING_EVENTS,
  ReputationUpdatedPayload,
  SURVEY_EVENTS,
} from '../src/index.ts'

t.test('the catalogue holds every event type of every feed, and nothing else', async (t) => {
  const feedTypes = [
    ...Object.values(LISTINGS_EVENTS),
    ...Object.values(BOOKINGS_EVENTS),
    ...Object.values(MESSAGING_EVENTS),
    ...Object.values(COMMUNITY_EVENTS),
    ...Object.values(SURVEY_EVENTS),
  ].sort()
  t.same(Object.keys(EVENT_CATALOGUE).sort(), feedTypes)
  t.ok(feedTypes.every(isEventType))
  t.notOk(isEventType('thing.changed'))
  t.notOk(isEventType('toString'), 'inherited members of the catalogue object are not event types')
})

t.test('a reputation payload without its distribution is refused, as every consumer parses it', async (t) => {
  const base = { subject: 'listing', id: '0193a1b2-0000-7000-8000-000000000001', average: 4.5, count: 2 }
  t.notOk(ReputationUpdatedPayload.safeParse(base).success)
  t.ok(
    ReputationUpdatedPayload.safeParse({ ...base, mean: 4.5, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 } }).success,
  )
})
