import { COMMUNITY_EVENTS, type FeedEvent, VolunteerServedPayload } from '@commons/contracts'
import type { Transaction } from 'kysely'
import { creditVolunteerServed } from '../credits/credits.service.ts'
import type { DB } from '../db/schema.ts'

/**
 * Applies the community feed: a volunteer's hours at an activity become time credits in the same
 * double-entry journal as volunteer bookings. Idempotent by the sign-up (one journal per registration).
 */
export async function applyCommunityEvent(trx: Transaction<DB>, event: FeedEvent, now: Date): Promise<void> {
  if (event.type !== COMMUNITY_EVENTS.volunteerServed) return
  await creditVolunteerServed(trx, VolunteerServedPayload.parse(event.payload), now)
}
