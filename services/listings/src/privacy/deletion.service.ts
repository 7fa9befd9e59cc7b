import { CLOSED_ACCOUNT_NAME, LISTINGS_EVENTS } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import { conflict, unauthorized } from '@commons/service-kit'
import type { Transaction } from 'kysely'
import { findUserById } from '../auth/auth.repository.ts'
import { verifyPassword } from '../auth/passwords.ts'
import { spendCode } from '../auth/phone-sign-in.ts'
import type { DB } from '../db/schema.ts'
import { membersEvent } from '../organizations/organizations.service.ts'
import { privacyStatus } from './consent.service.ts'
import type { PrivacyDeps } from './privacy-deps.ts'

const closeJobKey = (userId: string) => `account-close:${userId}`

/** Organizations the person is the only owner of: each needs another owner before the account may close. */
async function soleOwnerships(trx: Transaction<DB>, userId: string) {
  return trx
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organizationId')
    .select(['o.id', 'o.name'])
    .where('m.userId', '=', userId)
    .where('m.role', '=', 'owner')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('memberships as other')
            .select('other.userId')
            .whereRef('other.organizationId', '=', 'm.organizationId')
            .where('other.role', '=', 'owner')
            .where('other.userId', '<>', userId),
        ),
      ),
    )
    .execute()
}

function throwSoleOwner(orgs: Array<{ id: string; name: string }>): never {
  throw conflict(
    'sole_owner',
    `You are the only owner of ${orgs.map((o) => o.name).join(', ')}: make another member owner first.`,
  )
}

/**
 * Schedules the account to close after the cooling-off period. The password (or a code texted to the
 * account's own number) is asked again, so a session left open on a shared device cannot close the account.
 */
export async function requestDeletion(deps: PrivacyDeps, userId: string, proof: { password?: string; code?: string }) {
  const user = await findUserById(deps.db, userId)
  if (!user || user.closedAt) throw unauthorized('The password is wrong.', 'invalid_credentials')
  if (proof.code !== undefined) {
    if (!user.phone) throw unauthorized('This account has no mobile number to text a code to.', 'invalid_code')
    await spendCode(deps.db, user.phone, proof.code, deps.clock.now())
  } else if (!(await verifyPassword(user.passwordHash, proof.password ?? ''))) {
    throw unauthorized('The password is wrong.', 'invalid_credentials')
  }
  const now = deps.clock.now()
  const closesAt = new Date(now.getTime() + deps.coolingOffDays * 86_400_000)
  await deps.db.transaction().execute(async (trx) => {
    const orgs = await soleOwnerships(trx, userId)
    if (orgs.length > 0) throwSoleOwner(orgs)
    await trx
      .insertInto('deletionRequests')
      .values({ userId, requestedAt: now, closesAt, cancelledAt: null, closedAt: null })
      .onConflict((oc) =>
        oc.column('userId').doUpdateSet({ requestedAt: now, closesAt, cancelledAt: null, closedAt: null }),
      )
      .execute()
    await deps.jobs.enqueue(trx, 'account.close', { userId }, { runAt: closesAt, key: closeJobKey(userId) })
  })
  return privacyStatus(deps.db, userId)
}

/** Cancels a pending request during the cooling-off period. */
export async function cancelDeletion(deps: PrivacyDeps, userId: string) {
  await deps.db.transaction().execute(async (trx) => {
    const cancelled = await trx
      .updateTable('deletionRequests')
      .set({ cancelledAt: deps.clock.now() })
      .where('userId', '=', userId)
      .where('cancelledAt', 'is', null)
      .where('closedAt', 'is', null)
      .executeTakeFirst()
    if (Number(cancelled.numUpdatedRows) === 0) {
      throw conflict('deletion_not_requested', 'This account has no pending request to close it.')
    }
    await deps.jobs.cancel(trx, closeJobKey(userId))
  })
  return privacyStatus(deps.db, userId)
}

/**
 * The `account.close` job: erases the person's personal fields here and tells every other service through
 * `account.closed`. The user id stays as the stable pseudonym that keeps bookings, ratings and the ledger
 * consistent. Idempotent: a request already closed or cancelled, or not yet due, is left alone.
 */
export async function closeAccount(deps: PrivacyDeps, userId: string): Promise<void> {
  const now = deps.clock.now()
  await deps.db.transaction().execute(async (trx) => {
    const request = await trx
      .selectFrom('deletionRequests')
      .selectAll()
      .where('userId', '=', userId)
      .forUpdate()
      .executeTakeFirst()
    if (!request || request.cancelledAt || request.closedAt || request.closesAt > now) return
    // Ownership may have changed during the cooling-off period; an organization is never left ownerless.
    if ((await soleOwnerships(trx, userId)).length > 0) {
      await trx.updateTable('deletionRequests').set({ cancelledAt: now }).where('userId', '=', userId).execute()
      return
    }
    const user = await trx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst()
    if (!user) return

    const orgs = await trx.deleteFrom('memberships').where('userId', '=', userId).returning('organizationId').execute()
    for (const { organizationId } of orgs) {
      await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().execute()
      await membersEvent(trx, organizationId)
    }
    await trx
      .updateTable('users')
      .set({
        email: `closed-${userId}@closed.invalid`,
        displayName: CLOSED_ACCOUNT_NAME,
        phone: null,
        // Not a valid argon2 hash, so no password ever matches it.
        passwordHash: '!closed',
        moderator: false,
        closedAt: now,
        updatedAt: now,
      })
      .where('id', '=', userId)
      .execute()
    await trx.deleteFrom('refreshTokens').where('userId', '=', userId).execute()
    await trx.deleteFrom('loginThrottle').where('email', '=', user.email).execute()
    if (user.phone) await trx.deleteFrom('phoneCodes').where('phone', '=', user.phone).execute()
    // Archives hold everything about the person; consent and notice records stay as proof, keyed by the id.
    await trx.deleteFrom('dataExports').where('userId', '=', userId).execute()
    await trx.updateTable('deletionRequests').set({ closedAt: now }).where('userId', '=', userId).execute()
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.accountClosed,
      entityId: userId,
      version: 1,
      payload: { userId, closedAt: now.toISOString() },
    })
  })
}
