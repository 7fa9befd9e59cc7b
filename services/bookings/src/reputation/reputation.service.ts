import { BOOKINGS_EVENTS, type Reputation, type ReputationUpdatedPayload } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { ReputationSubject } from './reputation.repository.ts'
import { countNoShows, nextReputationVersion, visibleScoreCounts } from './reputation.repository.ts'
import { type Distribution, emptyDistribution, PRIOR_MEAN, PRIOR_WEIGHT, reputationOf } from './reputation.ts'

export type { ReputationSubject }

export const prior = { mean: PRIOR_MEAN, weight: PRIOR_WEIGHT }

/** The reputation of a subject from its published ratings that no moderator hid. */
export async function reputationFor(db: Kysely<DB>, s: ReputationSubject): Promise<Reputation> {
  const rows = await visibleScoreCounts(db, s)
  const distribution: Distribution = emptyDistribution()
  for (const row of rows) distribution[row.score as 1 | 2 | 3 | 4 | 5] = Number(row.n)
  return reputationOf(distribution)
}

/** The subjects a rating on a booking counts for, by the side that wrote it. */
export function subjectsOf(r: {
  side: 'requester' | 'provider'
  listingId: string
  rateeOrganizationId: string
  rateeMemberId: string | null
}): Array<{ subject: 'listing' | 'organization' | 'member'; id: string }> {
  if (r.side === 'requester')
    return [
      { subject: 'listing', id: r.listingId },
      { subject: 'organization', id: r.rateeOrganizationId },
    ]
  const out: Array<{ subject: 'listing' | 'organization' | 'member'; id: string }> = [
    { subject: 'organization', id: r.rateeOrganizationId },
  ]
  if (r.rateeMemberId) out.push({ subject: 'member', id: r.rateeMemberId })
  return out
}

/**
 * Appends `reputation.updated` for each subject, in the caller's transaction (so the event commits with the
 * publication or hide that changed the reputation). The version grows per subject, so consumers that keep
 * the newest version (discovery) ignore replays and older events.
 */
export async function publishReputation(
  trx: Transaction<DB>,
  subjects: Array<{ subject: 'listing' | 'organization' | 'member'; id: string }>,
): Promise<void> {
  const seen = new Set<string>()
  for (const s of subjects) {
    const key = `${s.subject}:${s.id}`
    if (seen.has(key)) continue
    seen.add(key)
    const version = await nextReputationVersion(trx, s)
    let payload: ReputationUpdatedPayload
    if (s.subject === 'organization') {
      const asProvider = await reputationFor(trx, { subject: 'organization', id: s.id, role: 'provider' })
      const asRequester = await reputationFor(trx, { subject: 'organization', id: s.id, role: 'requester' })
      payload = {
        subject: 'organization',
        id: s.id,
        ...asProvider,
        asRequester: { average: asRequester.average, count: asRequester.count },
      }
    } else {
      const subject: ReputationSubject =
        s.subject === 'listing' ? { subject: 'listing', id: s.id } : { subject: 'member', id: s.id }
      payload = { subject: s.subject, id: s.id, ...(await reputationFor(trx, subject)) }
    }
    await appendEvent(trx, { type: BOOKINGS_EVENTS.reputationUpdated, entityId: s.id, version, payload })
  }
}

/** How long no-shows count against a requesting organization, and how many take instant book away. */
export const NO_SHOW_PERIOD_MS = 90 * 86_400_000
export const NO_SHOW_LIMIT = 2

/** No-shows of an organization as requester whose booking started in the 90 days before `now`. */
export async function noShowsOf(db: Kysely<DB>, organizationId: string, now: Date): Promise<number> {
  return countNoShows(db, organizationId, new Date(now.getTime() - NO_SHOW_PERIOD_MS), now)
}

/**
 * Whether a requesting organization may instant-book: not with two or more no-shows in the last 90 days
 * (its bookings of instant listings then go to request mode, and the provider decides).
 */
export async function instantBookAllowed(db: Kysely<DB>, organizationId: string, now: Date): Promise<boolean> {
  return (await noShowsOf(db, organizationId, now)) < NO_SHOW_LIMIT
}
