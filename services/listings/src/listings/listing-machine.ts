import type { ListingStatus } from '@commons/contracts'
import { invalidTransition } from '@commons/service-kit'

/** What can happen to a listing. `approve` and `reject` are moderators' actions, the rest the owners'. */
export type ListingAction = 'submit' | 'approve' | 'reject' | 'pause' | 'resume' | 'archive' | 'update'

/** Facts the machine needs beyond the state: listings of verified organizations skip review. */
export interface TransitionContext {
  organizationVerified: boolean
  /** For `update`: the change touches what a moderator reviewed (REVIEWED_FIELDS). */
  reviewedContentChanged?: boolean
}

/**
 * What a moderator reviews before an unverified organization's listing goes public: the text, pictures
 * and place people see. Prices, rules and hours change without a new review.
 */
export const REVIEWED_FIELDS = [
  'title',
  'description',
  'tags',
  'photos',
  'location',
  'topics',
  'skills',
  'amenities',
] as const

/**
 * The listing lifecycle (DESIGN.md §3): draft -> pending_review -> published <-> paused, any -> archived
 * (terminal). A moderator's reject sends a pending listing back to draft. `update` keeps the state, except
 * that reviewed content changed on a published or paused listing of an unverified organization sends it
 * back to pending_review; it is refused once archived. Throws 409 `invalid_transition` for anything else.
 */
export function nextStatus(from: ListingStatus, action: ListingAction, ctx: TransitionContext): ListingStatus {
  const to = step(from, action, ctx)
  if (!to) throw invalidTransition(from, action)
  return to
}

function step(from: ListingStatus, action: ListingAction, ctx: TransitionContext): ListingStatus | undefined {
  if (from === 'archived') return undefined
  switch (action) {
    case 'update':
      // An approved listing of an unverified organization whose reviewed content changes goes back to
      // review and off the market meanwhile (withdrawn), so what the public sees was always reviewed.
      if (!ctx.organizationVerified && ctx.reviewedContentChanged && (from === 'published' || from === 'paused')) {
        return 'pending_review'
      }
      return from
    case 'archive':
      return 'archived'
    case 'submit':
      if (from !== 'draft') return undefined
      return ctx.organizationVerified ? 'published' : 'pending_review'
    case 'approve':
      return from === 'pending_review' ? 'published' : undefined
    case 'reject':
      return from === 'pending_review' ? 'draft' : undefined
    case 'pause':
      return from === 'published' ? 'paused' : undefined
    case 'resume':
      return from === 'paused' ? 'published' : undefined
  }
}

/** What the feed must say about a change from `from` to `to`: a fresh snapshot, a withdrawal, or nothing. */
export function feedEffect(from: ListingStatus, to: ListingStatus): 'published' | 'withdrawn' | 'none' {
  if (to === 'published') return 'published'
  // A paused listing was withdrawn when it paused; archiving it says nothing new.
  return from === 'published' ? 'withdrawn' : 'none'
}
