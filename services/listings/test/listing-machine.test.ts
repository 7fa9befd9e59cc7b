import t from 'tap'
import { feedEffect, nextStatus } from '../src/listings/listing-machine.ts'

const plain = { organizationVerified: false }
const verified = { organizationVerified: true }

t.test('submit sends a draft to review, or publishes it for a verified organization', async (t) => {
  t.equal(nextStatus('draft', 'submit', plain), 'pending_review')
  t.equal(nextStatus('draft', 'submit', verified), 'published')
})

t.test('moderators approve to published and reject back to draft', async (t) => {
  t.equal(nextStatus('pending_review', 'approve', plain), 'published')
  t.equal(nextStatus('pending_review', 'reject', plain), 'draft')
})

t.test('published and paused swap by pause and resume', async (t) => {
  t.equal(nextStatus('published', 'pause', plain), 'paused')
  t.equal(nextStatus('paused', 'resume', plain), 'published')
})

t.test('every state but archived may be archived; archived is terminal', async (t) => {
  for (const from of ['draft', 'pending_review', 'published', 'paused'] as const) {
    t.equal(nextStatus(from, 'archive', plain), 'archived', from)
  }
  for (const action of ['submit', 'approve', 'reject', 'pause', 'resume', 'archive', 'update'] as const) {
    t.throws(() => nextStatus('archived', action, verified), { code: 'invalid_transition', status: 409 }, action)
  }
})

t.test('updates keep the state', async (t) => {
  for (const from of ['draft', 'pending_review', 'published', 'paused'] as const) {
    t.equal(nextStatus(from, 'update', plain), from)
  }
})

t.test('wrong transitions are 409 invalid_transition', async (t) => {
  const wrong = [
    ['draft', 'approve'],
    ['draft', 'reject'],
    ['draft', 'pause'],
    ['draft', 'resume'],
    ['pending_review', 'submit'],
    ['pending_review', 'pause'],
    ['published', 'submit'],
    ['published', 'approve'],
    ['published', 'resume'],
    ['paused', 'pause'],
    ['paused', 'submit'],
  ] as const
  for (const [from, action] of wrong) {
    t.throws(() => nextStatus(from, action, verified), { code: 'invalid_transition' }, `${action} from ${from}`)
  }
})

t.test('the feed hears a snapshot when published after a change, a withdrawal when it leaves published', async (t) => {
  t.equal(feedEffect('draft', 'published'), 'published')
  t.equal(feedEffect('published', 'published'), 'published')
  t.equal(feedEffect('paused', 'published'), 'published')
  t.equal(feedEffect('published', 'paused'), 'withdrawn')
  t.equal(feedEffect('published', 'archived'), 'withdrawn')
  t.equal(feedEffect('paused', 'archived'), 'none')
  t.equal(feedEffect('draft', 'pending_review'), 'none')
  t.equal(feedEffect('pending_review', 'draft'), 'none')
})

t.test('a reviewed-content update of an unverified listing on the market sends it back to review', async (t) => {
  const changed = { organizationVerified: false, reviewedContentChanged: true }
  t.equal(nextStatus('published', 'update', changed), 'pending_review')
  t.equal(nextStatus('paused', 'update', changed), 'pending_review')
  t.equal(nextStatus('draft', 'update', changed), 'draft')
  t.equal(nextStatus('pending_review', 'update', changed), 'pending_review')
  t.equal(nextStatus('published', 'update', { organizationVerified: true, reviewedContentChanged: true }), 'published')
  t.equal(
    nextStatus('published', 'update', { organizationVerified: false, reviewedContentChanged: false }),
    'published',
  )
  t.equal(feedEffect('published', 'pending_review'), 'withdrawn')
})
