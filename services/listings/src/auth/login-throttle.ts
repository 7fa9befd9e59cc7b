import { AppError } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { recordAudit } from '../moderation/moderation.repository.ts'

/** How failed logins of one email slow down further attempts. */
export interface LoginThrottlePolicy {
  /** Failures allowed before the first lock. */
  freeAttempts: number
  /** The first lock; each further failure doubles it. */
  baseLockSeconds: number
  /** The longest lock, so an attacker cannot keep an owner out for long. */
  maxLockSeconds: number
  /** Failures older than this are forgotten. */
  windowSeconds: number
}

/** The configuration's defaults: 5 free attempts, then 2 s doubling up to 15 minutes, over a day. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = Object.freeze({
  freeAttempts: 5,
  baseLockSeconds: 2,
  maxLockSeconds: 900,
  windowSeconds: 86_400,
})

/**
 * 429 `login_throttled` while the email is locked. Checked before the password, so during a lock even the
 * right password is refused: guessing gains nothing from the lock ending early.
 */
export async function assertLoginAllowed(db: Kysely<DB>, email: string, now: Date): Promise<void> {
  const row = await db.selectFrom('loginThrottle').select('lockedUntil').where('email', '=', email).executeTakeFirst()
  if (row?.lockedUntil && row.lockedUntil > now) throw throttled(row.lockedUntil, now)
}

/**
 * Counts a failed login of `email` and locks it once the free attempts are spent, for
 * base × 2^(failures − free) seconds up to the maximum. The first lock is recorded in the audit log
 * against the account, if there is one (the notice the account holder and moderators see); an unknown
 * email is throttled alike, so the answers never tell which emails have accounts.
 */
export async function recordLoginFailure(
  db: Kysely<DB>,
  policy: LoginThrottlePolicy,
  email: string,
  userId: string | undefined,
  now: Date,
): Promise<void> {
  const windowStart = new Date(now.getTime() - policy.windowSeconds * 1000)
  await db.transaction().execute(async (trx) => {
    const { failures } = await trx
      .insertInto('loginThrottle')
      .values({ email, failures: 1, lastFailureAt: now, lockedUntil: null })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet({
          failures: sql<number>`case when login_throttle.last_failure_at < ${windowStart} then 1 else login_throttle.failures + 1 end`,
          lastFailureAt: now,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow()
    const over = failures - policy.freeAttempts
    if (over < 0) return
    const seconds = Math.min(policy.baseLockSeconds * 2 ** over, policy.maxLockSeconds)
    await trx
      .updateTable('loginThrottle')
      .set({ lockedUntil: new Date(now.getTime() + seconds * 1000) })
      .where('email', '=', email)
      .execute()
    if (over === 0 && userId) {
      await recordAudit(trx, {
        actorId: null,
        action: 'account.login_throttled',
        objectType: 'user',
        objectId: userId,
        reason: `${failures} failed logins; further attempts are slowed down`,
      })
    }
  })
}

/** Forgets the failures of an email after a successful login. */
export async function clearLoginFailures(db: Kysely<DB>, email: string): Promise<void> {
  await db.deleteFrom('loginThrottle').where('email', '=', email).execute()
}

function throttled(until: Date, now: Date) {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))
  return new AppError('login_throttled', 429, `Too many failed logins for this email; try again in ${seconds} s.`, {
    headers: { 'retry-after': String(seconds) },
  })
}
