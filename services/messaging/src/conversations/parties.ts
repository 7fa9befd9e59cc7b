import type { Actor } from '@commons/contracts'
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely'
import type { ConversationRow, DB } from '../db/schema.ts'

type Reader = Kysely<DB> | Transaction<DB>

/**
 * Who may read and write a conversation, by current state (the replicas of the listings and bookings
 * feeds, never token claims): for a booking, the member who booked while still in the requesting
 * organization, and the provider's admins and owners; for a need, the members of the need's organization
 * and the answering organization's admins and owners. Each party speaks for one side.
 */
export async function sideOf(db: Reader, conversation: ConversationRow, userId: string): Promise<string | null> {
  const roles = await db
    .selectFrom('members')
    .select(['organizationId', 'role'])
    .where('userId', '=', userId)
    .where('organizationId', 'in', [conversation.requesterOrganizationId, conversation.providerOrganizationId])
    .execute()
  const roleIn = (org: string) => roles.find((r) => r.organizationId === org)?.role
  const providerRole = roleIn(conversation.providerOrganizationId)
  if (providerRole === 'owner' || providerRole === 'admin') return conversation.providerOrganizationId
  if (!roleIn(conversation.requesterOrganizationId)) return null
  if (conversation.subjectType === 'need') return conversation.requesterOrganizationId
  const booking = await db
    .selectFrom('bookings')
    .select('requesterUserId')
    .where('id', '=', conversation.subjectId)
    .executeTakeFirst()
  return booking?.requesterUserId === userId ? conversation.requesterOrganizationId : null
}

/** Every party of a conversation (for notifying them). */
export async function partiesOf(db: Reader, conversation: ConversationRow): Promise<string[]> {
  const providers = await db
    .selectFrom('members')
    .select('userId')
    .where('organizationId', '=', conversation.providerOrganizationId)
    .where('role', 'in', ['owner', 'admin'])
    .execute()
  let requesters: string[]
  if (conversation.subjectType === 'need') {
    requesters = (
      await db
        .selectFrom('members')
        .select('userId')
        .where('organizationId', '=', conversation.requesterOrganizationId)
        .execute()
    ).map((r) => r.userId)
  } else {
    const booker = await db
      .selectFrom('bookings')
      .innerJoin('members', (join) =>
        join
          .onRef('members.userId', '=', 'bookings.requesterUserId')
          .onRef('members.organizationId', '=', 'bookings.requesterOrganizationId'),
      )
      .select('bookings.requesterUserId')
      .where('bookings.id', '=', conversation.subjectId)
      .executeTakeFirst()
    requesters = booker ? [booker.requesterUserId] : []
  }
  return [...new Set([...providers.map((r) => r.userId), ...requesters])]
}

/** The same rule as {@link sideOf} as a SQL condition on `conversations`, for listing the caller's. */
export function isParty(eb: ExpressionBuilder<DB, 'conversations'>, actor: Actor) {
  return eb.or([
    eb.exists(
      eb
        .selectFrom('members')
        .select(sql`1`.as('one'))
        .whereRef('members.organizationId', '=', 'conversations.providerOrganizationId')
        .where('members.userId', '=', actor.userId)
        .where('members.role', 'in', ['owner', 'admin']),
    ),
    eb.and([
      eb('conversations.subjectType', '=', 'need'),
      eb.exists(
        eb
          .selectFrom('members')
          .select(sql`1`.as('one'))
          .whereRef('members.organizationId', '=', 'conversations.requesterOrganizationId')
          .where('members.userId', '=', actor.userId),
      ),
    ]),
    eb.and([
      eb('conversations.subjectType', '=', 'booking'),
      eb.exists(
        eb
          .selectFrom('bookings')
          .innerJoin('members', (join) =>
            join
              .onRef('members.userId', '=', 'bookings.requesterUserId')
              .onRef('members.organizationId', '=', 'bookings.requesterOrganizationId'),
          )
          .select(sql`1`.as('one'))
          .whereRef('bookings.id', '=', 'conversations.subjectId')
          .where('bookings.requesterUserId', '=', actor.userId),
      ),
    ]),
  ])
}
