import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/** A user by normalised email. */
export function findUserByEmail(db: Kysely<DB>, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

export function findUserById(db: Kysely<DB>, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The user's memberships with each organization's membership version, as access tokens carry them. */
export function rolesOf(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.organizationId')
    .select(['memberships.organizationId', 'memberships.role', 'organizations.membersVersion'])
    .where('memberships.userId', '=', userId)
    .execute()
}

/** Locks a refresh token row by its hash, so two concurrent refreshes with one token cannot both win. */
export function lockRefreshToken(trx: Transaction<DB>, tokenHash: Buffer) {
  return trx.selectFrom('refreshTokens').selectAll().where('tokenHash', '=', tokenHash).forUpdate().executeTakeFirst()
}

/** Revokes every token of a family (a reused token means it was stolen, or a client misbehaves). */
export function revokeFamily(db: Kysely<DB> | Transaction<DB>, familyId: string, at: Date) {
  return db
    .updateTable('refreshTokens')
    .set({ revokedAt: at })
    .where('familyId', '=', familyId)
    .where('revokedAt', 'is', null)
    .execute()
}

/**
 * Marks an account's email verified without a mail, for tools that vouch for the address themselves (the
 * demo data loader). The API verifies only through a link (`verifyEmail`).
 */
export function markEmailVerified(db: Kysely<DB>, userId: string, at: Date) {
  return db
    .updateTable('users')
    .set({ emailVerifiedAt: at })
    .where('id', '=', userId)
    .where('emailVerifiedAt', 'is', null)
    .execute()
}
