import type { Actor, Invitation, OrgRole } from '@commons/contracts'
import { LISTINGS_EVENTS } from '@commons/contracts'
import { appendEvent, newId } from '@commons/db'
import { conflict, notFound, unauthorized } from '@commons/service-kit'
import type { Transaction } from 'kysely'
import { findUserByEmail, findUserById } from '../auth/auth.repository.ts'
import type { DB, InvitationRow } from '../db/schema.ts'
import type { DbClock } from '../deps.ts'
import {
  findInvitationView,
  invitationStatus,
  listOpenInvitations,
  lockInvitation,
  lockOpenInvitation,
  toInvitationDto,
} from './invitations.repository.ts'
import { lockOrganization, roleIn } from './organizations.repository.ts'
import { membersEvent } from './organizations.service.ts'
import { assertMayGrant, assertRole } from './permissions.ts'

/** What the invitation use cases need: the database, the clock, and how long an invitation stays open. */
export interface InvitationDeps extends DbClock {
  invitationTtlDays: number
}

const DAY_MS = 24 * 3600 * 1000

async function viewOf(trx: Transaction<DB>, id: string, now: Date): Promise<Invitation> {
  const view = await findInvitationView(trx, id)
  if (!view) throw notFound('invitation', id)
  return toInvitationDto(view, now)
}

/**
 * Invites an email to the organization (admins; only owners invite owners). The answer is the same
 * whether the email has an account, is already a member, or is unknown: what the admin learns is what the
 * member list already shows them. Re-inviting an open invitation refreshes it (role, inviter, expiry).
 * Only an invitation to an existing account that is not yet a member is announced on the feed (messaging
 * tells the invitee); anyone else finds it under their invitations once they sign in with that email.
 */
export async function inviteMember(
  deps: InvitationDeps,
  actor: Actor,
  organizationId: string,
  input: { email: string; role: OrgRole },
): Promise<Invitation> {
  const { db, clock } = deps
  const actorRole = await assertRole(db, actor, organizationId, 'admin')
  assertMayGrant(actorRole, input.role)
  return db.transaction().execute(async (trx) => {
    const organization = await lockOrganization(trx, organizationId)
    if (!organization) throw notFound('organization', organizationId)
    const now = clock.now()
    const expiresAt = new Date(now.getTime() + deps.invitationTtlDays * DAY_MS)
    const open = await lockOpenInvitation(trx, organizationId, input.email)
    const row = open
      ? await trx
          .updateTable('invitations')
          .set({ role: input.role, invitedBy: actor.userId, expiresAt, version: open.version + 1, updatedAt: now })
          .where('id', '=', open.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('invitations')
          .values({
            id: newId(),
            organizationId,
            email: input.email,
            role: input.role,
            invitedBy: actor.userId,
            expiresAt,
            createdAt: now,
            updatedAt: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
    const invitee = await findUserByEmail(trx, input.email)
    if (invitee && !(await roleIn(trx, organizationId, invitee.id))) {
      await appendEvent(trx, {
        type: LISTINGS_EVENTS.organizationInvitation,
        entityId: row.id,
        version: row.version,
        payload: {
          invitationId: row.id,
          organizationId,
          organizationName: organization.name,
          userId: invitee.id,
          role: row.role,
          expiresAt: row.expiresAt.toISOString(),
        },
      })
    }
    return viewOf(trx, row.id, now)
  })
}

/** The organization's open invitations, pending or expired (admins and owners). */
export async function getInvitations(deps: DbClock, actor: Actor, organizationId: string): Promise<Invitation[]> {
  await assertRole(deps.db, actor, organizationId, 'admin')
  const now = deps.clock.now()
  return (await listOpenInvitations(deps.db, { organizationId })).map((row) => toInvitationDto(row, now))
}

/** Withdraws an open invitation (admins; only owners withdraw an invitation to become owner). */
export async function revokeInvitation(deps: DbClock, actor: Actor, organizationId: string, id: string) {
  const { db, clock } = deps
  const actorRole = await assertRole(db, actor, organizationId, 'admin')
  await db.transaction().execute(async (trx) => {
    await lockOrganization(trx, organizationId)
    const row = await lockInvitation(trx, id)
    if (!row || row.organizationId !== organizationId) throw notFound('invitation', id)
    assertMayGrant(actorRole, row.role)
    assertOpen(row, clock.now(), { expiredCloses: false })
    await trx
      .updateTable('invitations')
      .set({ revokedAt: clock.now(), updatedAt: clock.now() })
      .where('id', '=', id)
      .execute()
  })
}

/** The caller's pending invitations: those to the email they sign in with, not yet expired. */
export async function getMyInvitations(deps: DbClock, actor: Actor): Promise<Invitation[]> {
  const email = await emailOf(deps, actor)
  const now = deps.clock.now()
  return (await listOpenInvitations(deps.db, { email }))
    .map((row) => toInvitationDto(row, now))
    .filter((invitation) => invitation.status === 'pending')
}

/**
 * Accepts an invitation to the caller's email: the membership begins now, and `organization.members`
 * tells the other services as any membership change does. Someone already a member keeps their role.
 */
export async function acceptInvitation(deps: DbClock, actor: Actor, id: string): Promise<Invitation> {
  return answerInvitation(deps, actor, id, async (trx, row, now) => {
    if (!(await roleIn(trx, row.organizationId, actor.userId))) {
      await trx
        .insertInto('memberships')
        .values({ organizationId: row.organizationId, userId: actor.userId, role: row.role, createdAt: now })
        .execute()
      await membersEvent(trx, row.organizationId)
    }
    await trx.updateTable('invitations').set({ acceptedAt: now, updatedAt: now }).where('id', '=', id).execute()
  })
}

/** Declines an invitation to the caller's email; the organization sees it no more among its open ones. */
export async function declineInvitation(deps: DbClock, actor: Actor, id: string): Promise<Invitation> {
  return answerInvitation(deps, actor, id, async (trx, _row, now) => {
    await trx.updateTable('invitations').set({ declinedAt: now, updatedAt: now }).where('id', '=', id).execute()
  })
}

/**
 * The invitee's answer. An invitation to another email answers 404 like an unknown id, so ids reveal
 * nothing. The organization row is locked before the invitation, the order inviting and revoking take.
 */
async function answerInvitation(
  { db, clock }: DbClock,
  actor: Actor,
  id: string,
  answer: (trx: Transaction<DB>, row: InvitationRow, now: Date) => Promise<void>,
): Promise<Invitation> {
  const email = await emailOf({ db, clock }, actor)
  return db.transaction().execute(async (trx) => {
    const peek = await trx.selectFrom('invitations').select('organizationId').where('id', '=', id).executeTakeFirst()
    if (!peek) throw notFound('invitation', id)
    await lockOrganization(trx, peek.organizationId)
    const row = await lockInvitation(trx, id)
    if (!row || row.email !== email) throw notFound('invitation', id)
    const now = clock.now()
    assertOpen(row, now, { expiredCloses: true })
    await answer(trx, row, now)
    return viewOf(trx, id, now)
  })
}

function assertOpen(row: InvitationRow, now: Date, { expiredCloses }: { expiredCloses: boolean }) {
  const status = invitationStatus(row, now)
  if (status === 'pending' || (status === 'expired' && !expiredCloses)) return
  throw conflict('invitation_closed', `This invitation is ${status}.`)
}

async function emailOf({ db }: DbClock, actor: Actor): Promise<string> {
  const user = await findUserById(db, actor.userId)
  if (!user) throw unauthorized('The account no longer exists.', 'invalid_token')
  return user.email
}
