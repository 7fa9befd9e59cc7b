import { createHash, randomBytes } from 'node:crypto'
import type { Actor, Me, Session, User } from '@commons/contracts'
import { newId } from '@commons/db'
import { AppError, type Clock, forbidden, unauthorized } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../db/schema.ts'
import { mustAcceptNotice } from '../privacy/consent.service.ts'
import { accountAccessChanged } from './account-access.ts'
import { findUserByEmail, findUserById, lockRefreshToken, revokeFamily, rolesOf } from './auth.repository.ts'
import { sendVerificationLink } from './email-verification.ts'
import type { TokenKeys } from './keys.ts'
import {
  assertLoginAllowed,
  clearLoginFailures,
  DEFAULT_LOGIN_THROTTLE,
  type LoginThrottlePolicy,
  recordLoginFailure,
} from './login-throttle.ts'
import type { MailChannel } from './mail.ts'
import { dummyHash, verifyPassword } from './passwords.ts'
import type { SmsChannel } from './sms.ts'

/** What the auth use cases need. */
export interface AuthDeps {
  db: Kysely<DB>
  keys: TokenKeys
  accessTokenTtlSeconds: number
  refreshTokenTtlDays: number
  clock: Clock
  /** Where one-time sign-in codes go (absent in tools that never sign anyone in by phone). */
  sms?: SmsChannel
  /** Seconds before another code may go to the same number (default PHONE_CODE_POLICY's). */
  phoneCodeResendSeconds?: number
  /** Defaults to DEFAULT_LOGIN_THROTTLE (tools that never log anyone in leave it out). */
  loginThrottle?: LoginThrottlePolicy
  /** Where verification links and "an account exists" mails go (absent: none are sent, as in tools). */
  mail?: MailChannel
  /** The web UI's origin, which links in mails start with (default http://localhost:4100). */
  publicUrl?: string
  /** Overrides of EMAIL_VERIFICATION_POLICY (link lifetime, resend spacing). */
  emailVerification?: { ttlHours?: number; resendAfterSeconds?: number }
  /** Where a failed mail delivery is logged. */
  log?: { error(obj: object, msg: string): void }
}

/** A user as the API shows them. */
export function toUserDto(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    moderator: row.moderator,
    phone: row.phone,
    createdAt: row.createdAt.toISOString(),
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest()

/** Signs a fresh access token carrying the user's current roles and moderator flag. */
export async function issueAccessToken(deps: AuthDeps, userId: string) {
  const user =
    (await findUserById(deps.db, userId)) ??
    (() => {
      throw unauthorized('The account no longer exists.', 'invalid_token')
    })()
  if (user.closedAt) throw unauthorized('The account was closed.', 'invalid_token')
  const memberships = await rolesOf(deps.db, userId)
  const orgs = Object.fromEntries(memberships.map((m) => [m.organizationId, m.role]))
  const ov = Object.fromEntries(memberships.map((m) => [m.organizationId, m.membersVersion]))
  return deps.keys.sign(
    {
      sub: userId,
      orgs,
      mod: user.moderator,
      name: user.displayName,
      ep: user.tokenEpoch,
      av: user.accessVersion,
      ov,
    },
    deps.accessTokenTtlSeconds,
  )
}

export async function startSession(deps: AuthDeps, user: UserRow, familyId = newId()): Promise<Session> {
  const refreshToken = randomBytes(32).toString('base64url')
  const refreshTokenExpiresAt = new Date(deps.clock.now().getTime() + deps.refreshTokenTtlDays * 86_400_000)
  await deps.db
    .insertInto('refreshTokens')
    .values({
      id: newId(),
      familyId,
      userId: user.id,
      tokenHash: hashToken(refreshToken),
      expiresAt: refreshTokenExpiresAt,
      usedAt: null,
      revokedAt: null,
    })
    .execute()
  const access = await issueAccessToken(deps, user.id)
  return {
    user: toUserDto(user),
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken,
    refreshTokenExpiresAt: refreshTokenExpiresAt.toISOString(),
    mustAcceptNotice: await mustAcceptNotice(deps.db, user.id),
  }
}

/** Signs in with email and password. The answer never tells whether the email has an account. */
export async function login(deps: AuthDeps, input: { email: string; password: string }): Promise<Session> {
  await assertLoginAllowed(deps.db, input.email, deps.clock.now())
  const user = await findUserByEmail(deps.db, input.email)
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password)
  if (!user || !ok) {
    await recordLoginFailure(
      deps.db,
      deps.loginThrottle ?? DEFAULT_LOGIN_THROTTLE,
      input.email,
      user?.id,
      deps.clock.now(),
    )
    throw unauthorized('Email or password is wrong.', 'invalid_credentials')
  }
  await clearLoginFailures(deps.db, input.email)
  if (!user.emailVerifiedAt) {
    // Only the right password learns this, so it tells a guesser nothing; the fresh link helps a person
    // whose first mail got lost or expired.
    await sendVerificationLink(deps, user)
    throw forbidden('Verify your email first: we sent you a new link.', 'email_unverified')
  }
  return startSession(deps, user)
}

/**
 * Trades a refresh token for a new pair. Each refresh token works once; presenting one that was already
 * used revokes its whole family, since either it was stolen or the client leaked it.
 */
export async function refresh(deps: AuthDeps, refreshToken: string): Promise<Session> {
  const now = deps.clock.now()
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const row = await lockRefreshToken(trx, hashToken(refreshToken))
    if (!row || row.revokedAt || row.expiresAt <= now) return { kind: 'invalid' as const }
    if (row.usedAt) {
      await revokeFamily(trx, row.familyId, now)
      return { kind: 'reused' as const }
    }
    await trx.updateTable('refreshTokens').set({ usedAt: now }).where('id', '=', row.id).execute()
    return { kind: 'ok' as const, userId: row.userId, familyId: row.familyId }
  })
  if (outcome.kind === 'reused') {
    throw unauthorized('This refresh token was already used; sign in again.', 'refresh_token_reused')
  }
  if (outcome.kind === 'invalid')
    throw unauthorized('The refresh token is not valid; sign in again.', 'invalid_refresh_token')
  const user = await findUserById(deps.db, outcome.userId)
  if (!user) throw unauthorized('The account no longer exists.', 'invalid_refresh_token')
  return startSession(deps, user, outcome.familyId)
}

/**
 * Ends the session the refresh token belongs to (its whole family), and revokes the user's outstanding
 * access tokens in every service at once by raising their token epoch (other devices refresh and carry
 * on; this device has no refresh token left). Unknown tokens are ignored.
 */
export async function logout(deps: AuthDeps, refreshToken: string): Promise<void> {
  const row = await deps.db
    .selectFrom('refreshTokens')
    .select(['familyId', 'userId'])
    .where('tokenHash', '=', hashToken(refreshToken))
    .executeTakeFirst()
  if (!row) return
  await deps.db.transaction().execute(async (trx) => {
    await revokeFamily(trx, row.familyId, deps.clock.now())
    await accountAccessChanged(trx, row.userId, { revokeTokens: true })
  })
}

/** The signed-in user with their memberships. */
export async function me(deps: AuthDeps, actor: Actor): Promise<Me> {
  const user = await findUserById(deps.db, actor.userId)
  if (!user) throw new AppError('user_not_found', 404, 'The account no longer exists.')
  const memberships = await deps.db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.organizationId')
    .select(['memberships.organizationId', 'organizations.name as organizationName', 'memberships.role'])
    .where('memberships.userId', '=', actor.userId)
    .orderBy('organizations.name')
    .execute()
  return {
    user: toUserDto(user),
    memberships,
    moderator: user.moderator,
    mustAcceptNotice: await mustAcceptNotice(deps.db, user.id),
  }
}
