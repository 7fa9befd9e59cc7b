import type { Invitation, InvitationStatus } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB, InvitationRow } from '../db/schema.ts'

/** An invitation with the names its readers see beside it. */
export type InvitationView = InvitationRow & { organizationName: string; inviterName: string }

/** Where an invitation stands at `now`: closed by a person, or pending until it expires. */
export function invitationStatus(row: InvitationRow, now: Date): InvitationStatus {
  if (row.acceptedAt) return 'accepted'
  if (row.declinedAt) return 'declined'
  if (row.revokedAt) return 'revoked'
  return row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending'
}

export function toInvitationDto(row: InvitationView, now: Date): Invitation {
  return {
    id: row.id,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    email: row.email,
    role: row.role,
    status: invitationStatus(row, now),
    invitedBy: row.inviterName,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  }
}

/** Invitations with their organization's and inviter's names; callers add the filter. */
export function selectInvitations(db: Kysely<DB>) {
  return db
    .selectFrom('invitations')
    .innerJoin('organizations', 'organizations.id', 'invitations.organizationId')
    .innerJoin('users', 'users.id', 'invitations.invitedBy')
    .selectAll('invitations')
    .select(['organizations.name as organizationName', 'users.displayName as inviterName'])
}

export function findInvitationView(db: Kysely<DB>, id: string): Promise<InvitationView | undefined> {
  return selectInvitations(db).where('invitations.id', '=', id).executeTakeFirst()
}

/** Locks an invitation; callers lock its organization first (the order every membership change takes). */
export function lockInvitation(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('invitations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The open (neither accepted, declined nor revoked) invitation of an email to an organization, locked. */
export function lockOpenInvitation(trx: Transaction<DB>, organizationId: string, email: string) {
  return trx
    .selectFrom('invitations')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('email', '=', email)
    .where('acceptedAt', 'is', null)
    .where('declinedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

/** Open invitations matching a filter: of an organization, or to an email. */
export function listOpenInvitations(db: Kysely<DB>, by: { organizationId: string } | { email: string }) {
  let query = selectInvitations(db)
    .where('invitations.acceptedAt', 'is', null)
    .where('invitations.declinedAt', 'is', null)
    .where('invitations.revokedAt', 'is', null)
  query =
    'organizationId' in by
      ? query.where('invitations.organizationId', '=', by.organizationId)
      : query.where('invitations.email', '=', by.email)
  return query.orderBy('invitations.createdAt', 'desc').orderBy('invitations.id').execute()
}
