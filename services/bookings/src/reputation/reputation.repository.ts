import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/** What a rating's score counts for: requester ratings for the listing and the provider, the rest for the group. */
export type ReputationSubject =
  | { subject: 'listing'; id: string }
  | { subject: 'organization'; id: string; role: 'provider' | 'requester' }
  | { subject: 'member'; id: string }

/** How many published, unhidden ratings of the subject gave each score. */
export async function visibleScoreCounts(db: Kysely<DB>, s: ReputationSubject) {
  let q = db
    .selectFrom('ratings')
    .select(['score', (eb) => eb.fn.countAll<string>().as('n')])
    .where('publishedAt', 'is not', null)
    .where('hiddenAt', 'is', null)
    .groupBy('score')
  if (s.subject === 'listing') q = q.where('side', '=', 'requester').where('listingId', '=', s.id)
  else if (s.subject === 'member') q = q.where('side', '=', 'provider').where('rateeMemberId', '=', s.id)
  else
    q = q.where('side', '=', s.role === 'provider' ? 'requester' : 'provider').where('rateeOrganizationId', '=', s.id)
  return q.execute()
}

/** The subject's next reputation version (1 for the first); the row lock orders concurrent publishers. */
export async function nextReputationVersion(
  trx: Transaction<DB>,
  s: { subject: 'listing' | 'organization' | 'member'; id: string },
): Promise<number> {
  const row = await trx
    .insertInto('reputationVersions')
    .values({ subject: s.subject, id: s.id, version: 1 })
    .onConflict((oc) =>
      oc.columns(['subject', 'id']).doUpdateSet((eb) => ({ version: eb('reputationVersions.version', '+', 1) })),
    )
    .returning('version')
    .executeTakeFirstOrThrow()
  return row.version
}

/** No-shows of an organization as requester whose booking started in `(since, until]`. */
export async function countNoShows(db: Kysely<DB>, organizationId: string, since: Date, until: Date): Promise<number> {
  const row = await db
    .selectFrom('bookings')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('requesterOrganizationId', '=', organizationId)
    .where('status', '=', 'no_show')
    .where('startAt', '>', since)
    .where('startAt', '<=', until)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
