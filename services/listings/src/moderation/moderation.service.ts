import {
  type Actor,
  type AuditEntry,
  type CursorQuery,
  LISTINGS_EVENTS,
  type Listing,
  type ModerationListingsQuery,
  type Organization,
} from '@commons/contracts'
import { appendEvent } from '@commons/db'
import { conflict, forbidden, notFound, preconditionFailed } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import { accountAccessChanged } from '../auth/account-access.ts'
import type { DB } from '../db/schema.ts'
import type { DbClock } from '../deps.ts'
import { listListings, lockListing, toListingDto } from '../listings/listings.repository.ts'
import { applyTransition } from '../listings/listings.service.ts'
import { lockOrganization, roleIn, toOrganizationDto } from '../organizations/organizations.repository.ts'
import { organizationEvent } from '../organizations/organizations.service.ts'
import { cursorId, pageById } from '../pagination.ts'
import { listAudit, recordAudit } from './moderation.repository.ts'
import { assertModerator } from './moderators.ts'

/** 403 `own_organization`: a moderator does not judge an organization they belong to. */
async function assertNotOwnOrganization(db: Kysely<DB>, actor: Actor, organizationId: string) {
  if (await roleIn(db, organizationId, actor.userId)) {
    throw forbidden(
      'Moderators may not act on organizations they belong to; another moderator will.',
      'own_organization',
    )
  }
}

/** The review queue: listings in a state (pending_review by default), oldest first. */
export async function listModerationQueue(db: Kysely<DB>, actor: Actor, query: ModerationListingsQuery) {
  await assertModerator(db, actor)
  const rows = await listListings(db, {
    statuses: [query.status],
    afterId: cursorId(query.cursor),
    limit: query.limit,
    order: 'asc',
  })
  return pageById(rows, query.limit, toListingDto)
}

/** Approves or rejects a pending listing, audited in the same transaction. */
export async function reviewListing(
  { db, clock }: DbClock,
  actor: Actor,
  id: string,
  decision: { action: 'approve' } | { action: 'reject'; reason: string },
  ifMatch?: number,
): Promise<Listing> {
  await assertModerator(db, actor)
  return db.transaction().execute(async (trx) => {
    const current = await lockListing(trx, id)
    if (!current) throw notFound('listing', id)
    // The decision is about the version the moderator read: an edit in between needs a fresh look.
    if (ifMatch !== undefined && ifMatch !== current.version) throw preconditionFailed()
    await assertNotOwnOrganization(trx, actor, current.organizationId)
    const reason = decision.action === 'reject' ? decision.reason : null
    const row = await applyTransition(trx, current, decision.action, clock.now(), {
      rejectionReason: reason ?? undefined,
    })
    await recordAudit(trx, {
      actorId: actor.userId,
      action: `listing.${decision.action}`,
      objectType: 'listing',
      objectId: id,
      reason,
    })
    // A rejected listing was never public, so `recordListingChange` has nothing to say; its owners still
    // need to hear of it (messaging notifies them).
    if (decision.action === 'reject') {
      await appendEvent(trx, {
        type: LISTINGS_EVENTS.listingRejected,
        entityId: row.id,
        version: row.version,
        payload: { listingId: row.id, organizationId: row.organizationId, title: row.title, version: row.version },
      })
    }
    return toListingDto(row)
  })
}

/**
 * Marks an organization verified: its future submissions publish without review and discovery shows the
 * badge (it learns from `organization.updated`; published listings are not re-sent).
 */
export async function verifyOrganization({ db, clock }: DbClock, actor: Actor, id: string): Promise<Organization> {
  await assertModerator(db, actor)
  return db.transaction().execute(async (trx) => {
    const current = await lockOrganization(trx, id)
    if (!current) throw notFound('organization', id)
    await assertNotOwnOrganization(trx, actor, id)
    if (current.verified) throw conflict('already_verified', 'This organization is verified already.')
    const row = await trx
      .updateTable('organizations')
      .set({ verified: true, version: current.version + 1, updatedAt: clock.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await organizationEvent(trx, row)
    await recordAudit(trx, {
      actorId: actor.userId,
      action: 'organization.verify',
      objectType: 'organization',
      objectId: id,
    })
    return toOrganizationDto(row)
  })
}

/** The audit log, newest first. */
export async function getAuditLog(db: Kysely<DB>, actor: Actor, query: CursorQuery) {
  await assertModerator(db, actor)
  const rows = await listAudit(db, { afterId: cursorId(query.cursor), limit: query.limit })
  return pageById(
    rows,
    query.limit,
    (r): AuditEntry => ({
      id: r.id,
      actorId: r.actorId,
      actorName: r.actorName,
      action: r.action,
      objectType: r.objectType,
      objectId: r.objectId,
      objectName: r.objectName,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
    }),
  )
}

/** Grants or revokes the moderator flag by email (the operators' command line); audited without an actor. */
export async function setModerator({ db, clock }: DbClock, email: string, moderator: boolean) {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .updateTable('users')
      .set({ moderator, updatedAt: clock.now() })
      .where('email', '=', email.trim().toLowerCase())
      .returning(['id', 'email', 'displayName'])
      .executeTakeFirst()
    if (!user) throw notFound('user')
    await recordAudit(trx, {
      actorId: null,
      action: moderator ? 'moderator.grant' : 'moderator.revoke',
      objectType: 'user',
      objectId: user.id,
    })
    await accountAccessChanged(trx, user.id, { revokeTokens: false })
    return user
  })
}
