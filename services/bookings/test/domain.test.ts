import t from 'tap'
import { actingRole, mayAct, nextStatus, timingProblem } from '../src/bookings/booking-machine.ts'
import { cancellationRefund, cancelsAsProvider } from '../src/bookings/cancellation.ts'
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

t.test('a cancellation refunds by the canceller’s side, and only money that was taken', async (t) => {
  const price = {
    model: 'fee' as const,
    unit: null,
    unitAmount: 0,
    quantity: 1,
    amount: 10_001,
    deposit: 0,
    currency: 'CNY',
  }
  const startAt = new Date('2026-12-01T02:00:00Z')
  const twoDaysBefore = new Date('2026-11-29T02:00:00Z')
  const cancellation = { policy: 'moderate' as const }
  t.same(cancellationRefund({ startAt, price, paymentStatus: 'paid', cancellation }, false, twoDaysBefore), {
    share: 0.5,
    amount: 5_000,
  })
  t.same(cancellationRefund({ startAt, price, paymentStatus: 'due', cancellation }, false, twoDaysBefore), {
    share: 0.5,
    amount: 0,
  })
  const steps: Array<[number, number]> = [[24, 1]]
  t.same(
    cancellationRefund(
      { startAt, price, paymentStatus: 'paid', cancellation: { policy: 'strict', steps } },
      false,
      twoDaysBefore,
    ),
    { share: 1, amount: 10_001 },
    'the steps snapshotted on the booking decide, not the policy table of today',
  )
  t.ok(cancelsAsProvider(['provider'], false))
  t.notOk(cancelsAsProvider(['provider', 'requester'], false), 'someone on both sides cancels as the requester')
  t.ok(cancelsAsProvider(['requester'], true), 'a moderator override refunds as the provider')
})

t.test('audited steps name the role they were taken in', async (t) => {
  const user = '00000000-0000-4000-8000-000000000001'
  t.equal(
    actingRole('cancel', { actorUserId: user, parties: ['provider', 'requester'], moderatorOverride: false }),
    'requester',
  )
  t.equal(
    actingRole('accept', { actorUserId: user, parties: ['provider', 'requester'], moderatorOverride: false }),
    'provider',
  )
  t.equal(actingRole('accept', { actorUserId: user, parties: [], moderatorOverride: true }), 'moderator')
  t.equal(actingRole('request_expire', { actorUserId: null, parties: ['system'], moderatorOverride: false }), 'system')
})
