import { LISTINGS_EVENTS } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import { conflict, unauthorized } from '@commons/service-kit'
import { findUserById } from '../auth/auth.repository.ts'
import { verifyPassword } from '../auth/passwords.ts'
import { spendCode } from '../auth/phone-sign-in.ts'
import { membersEvent } from '../organizations/organizations.service.ts'
import { privacyStatus } from './consent.service.ts'
import {
  cancelPendingDeletion,
  eraseUser,
  lockDeletionRequest,
  lockUser,
  markDeletion,
  removeAllMemberships,
  saveDeletionRequest,
  soleOwnerships,
} from './privacy.repository.ts'
import type { PrivacyDeps } from './privacy-deps.ts'

const closeJobKey = (userId: string) => `account-close:${userId}`

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
    await saveDeletionRequest(trx, userId, now, closesAt)
    await deps.jobs.enqueue(trx, 'account.close', { userId }, { runAt: closesAt, key: closeJobKey(userId) })
  })
  return privacyStatus(deps.db, userId)
}

/** Cancels a pending request during the cooling-off period. */
export async function cancelDeletion(deps: PrivacyDeps, userId: string) {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await cancelPendingDeletion(trx, userId, deps.clock.now()))) {
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
    const request = await lockDeletionRequest(trx, userId)
    if (!request || request.cancelledAt || request.closedAt || request.closesAt > now) return
    // Ownership may have changed during the cooling-off period; an organization is never left ownerless.
    if ((await soleOwnerships(trx, userId)).length > 0) {
      await markDeletion(trx, userId, { cancelledAt: now })
      return
    }
    const user = await lockUser(trx, userId)
    if (!user) return

    for (const organizationId of await removeAllMemberships(trx, userId)) await membersEvent(trx, organizationId)
    // Archives hold everything about the person; consent and notice records stay as proof, keyed by the id.
    await eraseUser(trx, user, now)
    await markDeletion(trx, userId, { closedAt: now })
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.accountClosed,
      entityId: userId,
      version: 1,
      payload: { userId, closedAt: now.toISOString() },
    })
  })
}
