import { type Actor, LISTINGS_EVENTS, type OrgRole } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import { unauthorized } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Raises the user's access version (and, on logout, their token epoch) and appends `account.access`, so
 * every service's access replica learns the moderator flag and refuses tokens of an older epoch. Raised in
 * one update, so two changes to one user commit in version order.
 */
export async function accountAccessChanged(
  trx: Transaction<DB>,
  userId: string,
  opts: { revokeTokens: boolean },
): Promise<void> {
  const row = await trx
    .updateTable('users')
    .set((eb) => ({
      accessVersion: eb('accessVersion', '+', 1),
      ...(opts.revokeTokens ? { tokenEpoch: eb('tokenEpoch', '+', 1) } : {}),
    }))
    .where('id', '=', userId)
    .returning(['accessVersion', 'tokenEpoch', 'moderator'])
    .executeTakeFirst()
  if (!row) return
  await appendEvent(trx, {
    type: LISTINGS_EVENTS.accountAccess,
    entityId: userId,
    version: row.accessVersion,
    payload: { userId, moderator: row.moderator, tokenEpoch: row.tokenEpoch },
  })
}

/**
 * The actor by listings' own tables: roles and the moderator flag as they are now, and a 401
 * `token_revoked` for a token of an epoch the user has since left (logout). Listings is the source the
 * other services' replicas follow, so here the database always wins over the token.
 */
export async function currentActor(db: Kysely<DB>, actor: Actor): Promise<Actor> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('memberships', 'memberships.userId', 'users.id')
    .select(['users.moderator', 'users.tokenEpoch', 'memberships.organizationId', 'memberships.role'])
    .where('users.id', '=', actor.userId)
    .execute()
  const user = rows[0]
  // An account that no longer exists keeps no power; its token's claims are not believed.
  if (!user) return { ...actor, roles: {}, moderator: false }
  if (user.tokenEpoch > (actor.tokenState?.epoch ?? 0)) {
    throw unauthorized('This access token was revoked (signed out); refresh or sign in again.', 'token_revoked')
  }
  const roles: Record<string, OrgRole> = {}
  for (const r of rows) if (r.organizationId && r.role) roles[r.organizationId] = r.role
  return { ...actor, roles, moderator: user.moderator }
}
