import { z } from 'zod'
import { Instant } from '../common.ts'

/**
 * One event of a service's feed. `version` is the entity's version after the change, so consumers can
 * ignore an event that is older than what they already hold (delivery is at least once).
 */
export const FeedEvent = z
  .object({
    cursor: z.string().describe('Opaque position of this event in the feed; pass as `after` to read on'),
    type: z.string(),
    entityId: z.string(),
    version: z.number().int(),
    occurredAt: Instant,
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'FeedEvent' })
export type FeedEvent = z.infer<typeof FeedEvent>

/** A page of a feed. `next` is the cursor to read on from (equal to `after` when nothing new committed). */
export const FeedPage = z.object({ events: z.array(FeedEvent), next: z.string().nullable() }).meta({ id: 'FeedPage' })
export type FeedPage = z.infer<typeof FeedPage>

export const FeedQuery = z.object({
  after: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
