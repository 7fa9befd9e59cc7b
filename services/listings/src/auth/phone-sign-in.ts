import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Actor, Session, User } from '@commons/contracts'
import { isUniqueViolation, newId } from '@commons/db'
import { conflict, problem, serviceUnavailable, tooManyRequests, unauthorized } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { type AuthDeps, startSession, toUserDto } from './auth.service.ts'

/** How one-time codes behave; the defaults follow what Chinese sign-in screens do (60 s resend, 5 min life). */
export const PHONE_CODE_POLICY = {
  ttlSeconds: 300,
  resendAfterSeconds: 60,
  perHour: 5,
  maxAttempts: 5,
} as const

/*
 * A 6-digit code has a million values, so its hash alone would fall to an offline search: what protects it
 * is that it lives five minutes, dies after five wrong tries and works once. The salted hash keeps a copy of
 * the table from being a list of live codes.
 */
const hashCode = (salt: Buffer, code: string) => createHash('sha256').update(salt).update(code).digest()

/** Sends a sign-in code to a mainland mobile number; throttled per number. */
export async function requestPhoneCode(deps: AuthDeps, phone: string) {
  if (!deps.sms) throw serviceUnavailable('sms_unavailable', 'Text messages cannot be sent; sign in with email.', 60)
  const now = deps.clock.now()
  const recent = await deps.db
    .selectFrom('phoneCodes')
    .select('createdAt')
    .where('phone', '=', phone)
    .where('createdAt', '>', new Date(now.getTime() - 3600_000))
    .orderBy('createdAt', 'desc')
    .execute()
  const resendAfterSeconds = deps.phoneCodeResendSeconds ?? PHONE_CODE_POLICY.resendAfterSeconds
  const last = recent[0]?.createdAt
  if (last) {
    const wait = Math.ceil((last.getTime() + resendAfterSeconds * 1000 - now.getTime()) / 1000)
    if (wait > 0) throw tooManyRequests(wait)
  }
  if (recent.length >= PHONE_CODE_POLICY.perHour) {
    const oldest = recent[recent.length - 1]!.createdAt
    throw tooManyRequests(Math.max(1, Math.ceil((oldest.getTime() + 3600_000 - now.getTime()) / 1000)))
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const salt = randomBytes(16)
  const expiresAt = new Date(now.getTime() + PHONE_CODE_POLICY.ttlSeconds * 1000)
  await deps.db
    .insertInto('phoneCodes')
    .values({ id: newId(), phone, codeHash: hashCode(salt, code), salt, expiresAt, usedAt: null, createdAt: now })
    .execute()
  await deps.sms.send(phone, `【共享资源超市】验证码 ${code}，5 分钟内有效，仅用于登录，请勿告诉他人。`)
  return { expiresAt: expiresAt.toISOString(), resendAfterSeconds }
}

/**
 * Spends the number's newest code if `code` is it. A wrong guess counts against that code (committed even
 * though the request fails), and a code past its tries, its time or its one use never works again.
 */
export async function spendCode(db: Kysely<DB>, phone: string, code: string, now: Date): Promise<void> {
  const ok = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('phoneCodes')
      .selectAll()
      .where('phone', '=', phone)
      .orderBy('createdAt', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst()
    if (!row || row.usedAt || row.expiresAt <= now || row.attempts >= PHONE_CODE_POLICY.maxAttempts) return false
    const match = timingSafeEqual(hashCode(row.salt, code), row.codeHash)
    await trx
      .updateTable('phoneCodes')
      .set(match ? { usedAt: now } : { attempts: row.attempts + 1 })
      .where('id', '=', row.id)
      .execute()
    return match
  })
  if (!ok) throw unauthorized('The code is wrong or no longer valid; ask for a new one.', 'invalid_code')
}

/** Signs in the account whose verified mobile number this is. */
export async function phoneLogin(deps: AuthDeps, input: { phone: string; code: string }): Promise<Session> {
  await spendCode(deps.db, input.phone, input.code, deps.clock.now())
  const user = await deps.db.selectFrom('users').selectAll().where('phone', '=', input.phone).executeTakeFirst()
  if (!user) {
    throw problem(
      'phone_not_registered',
      'No account has this mobile number yet: sign in with email once and add the number to your account.',
    )
  }
  return startSession(deps, user)
}

/** Makes a verified number sign the caller's account in (replacing any number it had). */
export async function attachPhone(deps: AuthDeps, actor: Actor, input: { phone: string; code: string }): Promise<User> {
  await spendCode(deps.db, input.phone, input.code, deps.clock.now())
  try {
    const user = await deps.db
      .updateTable('users')
      .set({ phone: input.phone, updatedAt: deps.clock.now() })
      .where('id', '=', actor.userId)
      .returningAll()
      .executeTakeFirstOrThrow()
    return toUserDto(user)
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('phone_taken', 'Another account already signs in with this number.')
    throw error
  }
}
