import t from 'tap'
import { allowedActions } from '../ui/src/pages/bookings/allowed-actions.ts'
import type { Booking } from '../ui/src/pages/bookings/types.ts'

const booking = (status: Booking['status']) => ({ status }) as Booking

t.test('completion and no-show are offered from the booking start on, to the provider and moderators', async (t) => {
  t.same(allowedActions(booking('confirmed'), ['provider'], false), ['cancel'], 'not before the start')
  t.same(allowedActions(booking('confirmed'), ['moderator'], false), ['cancel'], 'not even to a moderator')
  t.same(allowedActions(booking('confirmed'), ['provider'], true), ['complete', 'no-show', 'cancel'])
  t.same(allowedActions(booking('confirmed'), ['moderator'], true), ['complete', 'no-show', 'cancel'])
  t.same(allowedActions(booking('confirmed'), ['requester'], true), ['cancel'], 'never to the requester')
})

t.test('the other actions do not depend on the start', async (t) => {
  t.same(allowedActions(booking('requested'), ['provider'], false), ['accept', 'decline', 'cancel'])
  t.same(allowedActions(booking('requested'), ['requester'], false), ['cancel'])
  t.same(allowedActions(booking('completed'), ['provider', 'moderator'], true), [])
  t.same(allowedActions(booking('confirmed'), [], true), [], 'nothing for a stranger')
})
