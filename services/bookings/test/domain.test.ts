import t from 'tap'
import { mayAct, nextStatus, timingProblem } from '../src/bookings/booking-machine.ts'
import { type REFUND_STEPS, refundAmount, refundShare } from '../src/payments/refund-policy.ts'

t.test('refund shares follow the README policy table', async (t) => {
  const cases: Array<[keyof typeof REFUND_STEPS, number, number]> = [
    ['flexible', 24, 1],
    ['flexible', 23.9, 0.5],
    ['flexible', 0, 0.5],
    ['moderate', 72, 1],
    ['moderate', 71, 0.5],
    ['moderate', 24, 0.5],
    ['moderate', 23, 0],
    ['strict', 168, 0.5],
    ['strict', 167, 0],
    ['strict', -5, 0],
  ]
  for (const [policy, hours, share] of cases) t.equal(refundShare(policy, hours, false), share, `${policy} ${hours} h`)
  t.equal(refundShare('strict', 1, true), 1, 'a provider cancellation refunds everything')
  t.equal(refundAmount(10_001, 0.5), 5_000, 'rounded down to whole fen')
})

t.test('the booking state machine', async (t) => {
  t.equal(nextStatus('requested', 'accept'), 'confirmed')
  t.equal(nextStatus('pending_payment', 'paid'), 'requested')
  t.equal(nextStatus('confirmed', 'auto_complete'), 'completed')
  t.throws(() => nextStatus('declined', 'accept'), { code: 'invalid_transition' })
  t.throws(() => nextStatus('completed', 'cancel'), { code: 'invalid_transition' })
  t.throws(() => nextStatus('requested', 'no-show'), { code: 'invalid_transition' })
  t.ok(mayAct(['provider'], 'accept'))
  t.notOk(mayAct(['requester'], 'accept'))
  t.ok(mayAct(['requester'], 'cancel'))
  t.notOk(mayAct(['requester'], 'complete'))
  t.notOk(mayAct(['provider', 'requester'], 'request_expire'), 'only the system expires a request')
  const window = { start: new Date('2026-12-01T02:00:00Z'), end: new Date('2026-12-01T03:00:00Z') }
  t.type(timingProblem('complete', window, new Date('2026-12-01T01:59:00Z')), 'string')
  t.equal(timingProblem('complete', window, new Date('2026-12-01T02:00:00Z')), null)
  t.type(timingProblem('no-show', window, new Date('2026-12-03T03:01:00Z')), 'string')
})
