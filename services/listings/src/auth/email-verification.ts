import { createHash, randomBytes } from 'node:crypto'
import type { Session, SignUpPrivacy } from '@commons/contracts'
import { isUniqueViolation, newId } from '@commons/db'
import { problem } from '@commons/service-kit'
import type { UserRow } from '../db/schema.ts'
import { recordSignUpPrivacy } from '../privacy/consent.service.ts'
import { findUserByEmail } from './auth.repository.ts'
import { type AuthDeps, startSession } from './auth.service.ts'
import { assertStrongPassword } from './password-policy.ts'
import { hashPassword } from './passwords.ts'

/** How verification links and account mails behave unless the config says otherwise. */
export const EMAIL_VERIFICATION_POLICY = {
  /** A link works this long, once. */
  ttlHours: 24,
  /** No second mail to one account within this many seconds (a resend within it is dropped silently). */
  resendAfterSeconds: 60,
  /** At most this many mails to one account an hour, so nobody can flood an inbox through the API. */
  perHour: 5,
} as const

/** The one answer of register and resend, whether or not the email has an account. */
export const VERIFICATION_SENT = { status: 'verification_sent' } as const

const hashToken = (token: string) => createHash('sha256').update(token).digest()

const policyOf = (deps: AuthDeps) => ({ ...EMAIL_VERIFICATION_POLICY, ...deps.emailVerification })

const linkOf = (deps: AuthDeps, token: string) =>
  `${(deps.publicUrl ?? 'http://localhost:4100').replace(/\/$/, '')}/verify-email?token=${token}`

/** Whether the account may be mailed now; a dropped mail is never an error the caller could observe. */
async function mayMail(deps: AuthDeps, userId: string, now: Date): Promise<boolean> {
  const policy = policyOf(deps)
  const recent = await deps.db
    .selectFrom('accountMails')
    .select('sentAt')
    .where('userId', '=', userId)
    .where('sentAt', '>', new Date(now.getTime() - 3600_000))
    .orderBy('sentAt', 'desc')
    .execute()
  const last = recent[0]?.sentAt
  if (last && last.getTime() + policy.resendAfterSeconds * 1000 > now.getTime()) return false
  return recent.length < policy.perHour
}

/**
 * Mails a delivery that failed is logged, not raised: the answer must not differ between an email with an
 * account and one without, and the person can ask for the link again.
 */
async function deliver(deps: AuthDeps, to: string, subject: string, text: string) {
  if (!deps.mail) return
  try {
    await deps.mail.send({ to, subject, text })
  } catch (error) {
    deps.log?.error({ err: error }, 'account mail could not be sent')
  }
}

/** Sends the account a fresh verification link (unless it was mailed moments ago). */
export async function sendVerificationLink(deps: AuthDeps, user: Pick<UserRow, 'id' | 'email' | 'displayName'>) {
  const now = deps.clock.now()
  if (!(await mayMail(deps, user.id, now))) return
  const token = randomBytes(32).toString('base64url')
  await deps.db
    .insertInto('accountMails')
    .values({
      id: newId(),
      userId: user.id,
      kind: 'verify_email',
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + policyOf(deps).ttlHours * 3600_000),
      usedAt: null,
      sentAt: now,
    })
    .execute()
  await deliver(
    deps,
    user.email,
    '【共享资源超市】请验证您的邮箱',
    [
      `${user.displayName}，您好：`,
      '',
      `请打开下面的链接完成邮箱验证，验证后即自动登录（${policyOf(deps).ttlHours} 小时内有效，只能使用一次）：`,
      linkOf(deps, token),
      '',
      '如果这不是您本人的操作，请忽略这封邮件。',
    ].join('\n'),
  )
}

/** Tells the owner of an existing account that someone tried to sign up with their email. */
async function sendAccountExists(deps: AuthDeps, user: UserRow) {
  const now = deps.clock.now()
  if (!(await mayMail(deps, user.id, now))) return
  await deps.db
    .insertInto('accountMails')
    .values({
      id: newId(),
      userId: user.id,
      kind: 'account_exists',
      tokenHash: null,
      expiresAt: null,
      usedAt: null,
      sentAt: now,
    })
    .execute()
  const web = (deps.publicUrl ?? 'http://localhost:4100').replace(/\/$/, '')
  await deliver(
    deps,
    user.email,
    '【共享资源超市】这个邮箱已经注册过账号',
    [
      `${user.displayName}，您好：`,
      '',
      '有人（可能是您自己）刚刚用这个邮箱申请注册共享资源超市。这个邮箱已经有账号了，无需再次注册。',
      `直接登录：${web}/signin`,
      '忘记密码的话，请联系您所在组织的管理员或平台审核员协助处理。',
      '',
      '如果这不是您本人的操作，请忽略这封邮件，您的账号没有任何变化。',
    ].join('\n'),
  )
}

/**
 * Starts a sign-up. The answer is the same whether or not the email has an account (so nobody learns
 * which emails are registered): a new email gets an unverified account and a verification link; an
 * existing one gets a mail saying so, and nothing else changes. Both paths hash the password, so their
 * timing does not differ by the cost of hashing.
 */
export async function register(
  deps: AuthDeps,
  input: { email: string; password: string; displayName: string; privacy?: SignUpPrivacy },
): Promise<typeof VERIFICATION_SENT> {
  assertStrongPassword(input.password)
  const passwordHash = await hashPassword(input.password)
  let user: UserRow | undefined
  try {
    user = await deps.db
      .insertInto('users')
      .values({ id: newId(), email: input.email, passwordHash, displayName: input.displayName })
      .returningAll()
      .executeTakeFirstOrThrow()
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
  }
  if (!user) {
    const existing = await findUserByEmail(deps.db, input.email)
    if (existing) await sendAccountExists(deps, existing)
    return VERIFICATION_SENT
  }
  if (input.privacy) await recordSignUpPrivacy({ db: deps.db, clock: deps.clock }, user.id, input.privacy)
  await sendVerificationLink(deps, user)
  return VERIFICATION_SENT
}

/** Sends another link to an unverified account; answers the same for any email. */
export async function resendVerification(deps: AuthDeps, email: string): Promise<typeof VERIFICATION_SENT> {
  const user = await findUserByEmail(deps.db, email)
  if (user && !user.emailVerifiedAt && !user.closedAt) await sendVerificationLink(deps, user)
  return VERIFICATION_SENT
}

/**
 * Spends a verification link: marks the email verified and signs the account in. Every other link of the
 * account stops working too, since a link signs in and old mails should not keep that power.
 */
export async function verifyEmail(deps: AuthDeps, token: string): Promise<Session> {
  const now = deps.clock.now()
  const userId = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('accountMails')
      .select(['id', 'userId', 'expiresAt', 'usedAt'])
      .where('tokenHash', '=', hashToken(token))
      .forUpdate()
      .executeTakeFirst()
    if (!row || row.usedAt || !row.expiresAt || row.expiresAt <= now) return undefined
    await trx
      .updateTable('accountMails')
      .set({ usedAt: now })
      .where('userId', '=', row.userId)
      .where('kind', '=', 'verify_email')
      .where('usedAt', 'is', null)
      .execute()
    await trx
      .updateTable('users')
      .set({ emailVerifiedAt: now, updatedAt: now })
      .where('id', '=', row.userId)
      .where('emailVerifiedAt', 'is', null)
      .execute()
    return row.userId
  })
  if (!userId) {
    throw problem('invalid_verification_link', 'The link is wrong, was used already or has expired; ask for a new one.')
  }
  const user = await deps.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow()
  return startSession(deps, user)
}
