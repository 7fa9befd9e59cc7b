import {
  ConsentPurpose,
  type Consents,
  LISTINGS_EVENTS,
  type PrivacyStatus,
  type SignUpPrivacy,
} from '@commons/contracts'
import { type AnyTransaction, appendEvent } from '@commons/db'
import { conflict } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import { CURRENT_NOTICE } from './notice.ts'
import {
  consentEventCount,
  hasAcceptedNotice,
  insertConsentRecords,
  insertNoticeAcceptance,
  latestConsentRecords,
  latestNoticeAcceptance,
  pendingDeletion,
} from './privacy.repository.ts'
import type { PrivacyDeps } from './privacy-deps.ts'

/** Nothing optional is granted until the person says so (PIPL: consent is given, never presumed). */
const NO_CONSENTS: Consents = { personalisedRecommendations: false, emailNotifications: false }

/** The person's current optional consents: the latest record per purpose. */
export async function currentConsents(db: Kysely<DB> | AnyTransaction, userId: string): Promise<Consents> {
  const rows = await latestConsentRecords(db as Kysely<DB>, userId)
  const consents = { ...NO_CONSENTS }
  for (const row of rows) consents[row.purpose] = row.granted
  return consents
}

async function recordConsents(trx: Transaction<DB>, userId: string, changes: Partial<Consents>, at: Date) {
  const rows = ConsentPurpose.options
    .filter((purpose) => changes[purpose] !== undefined)
    .map((purpose) => ({ userId, purpose, granted: changes[purpose] as boolean, recordedAt: at }))
  await insertConsentRecords(trx, rows)
  const consents = await currentConsents(trx, userId)
  const previous = await consentEventCount(trx, userId)
  // Discovery (recommendations) and messaging (email) honour the consents from this event.
  await appendEvent(trx, {
    type: LISTINGS_EVENTS.userConsentsChanged,
    entityId: userId,
    version: previous + 1,
    payload: { userId, consents },
  })
}

/**
 * Records at sign-up the notice version the person accepted and their optional consents. Kept apart from
 * registration itself so that the account code stays free of privacy rules; called right after the insert.
 */
export async function recordSignUpPrivacy(
  deps: Pick<PrivacyDeps, 'db' | 'clock'>,
  userId: string,
  input: SignUpPrivacy,
) {
  const now = deps.clock.now()
  await deps.db.transaction().execute(async (trx) => {
    if (input.noticeVersion === CURRENT_NOTICE.version) {
      await insertNoticeAcceptance(trx, userId, input.noticeVersion, now)
    }
    await recordConsents(
      trx,
      userId,
      { personalisedRecommendations: input.personalisedRecommendations, emailNotifications: input.emailNotifications },
      now,
    )
  })
}

/** The person's privacy state, with `mustAcceptNotice` while they have not accepted the current version. */
export async function privacyStatus(db: Kysely<DB>, userId: string): Promise<PrivacyStatus> {
  const [accepted, consents, deletion] = await Promise.all([
    latestNoticeAcceptance(db, userId),
    currentConsents(db, userId),
    pendingDeletion(db, userId),
  ])
  return {
    currentNoticeVersion: CURRENT_NOTICE.version,
    acceptedNoticeVersion: accepted?.noticeVersion ?? null,
    acceptedAt: accepted?.acceptedAt.toISOString() ?? null,
    mustAcceptNotice: accepted?.noticeVersion !== CURRENT_NOTICE.version,
    consents,
    deletion: deletion
      ? { requestedAt: deletion.requestedAt.toISOString(), closesAt: deletion.closesAt.toISOString() }
      : null,
  }
}

/** Accepts the current notice; accepting any other version is refused, so nobody accepts text they never saw. */
export async function acceptNotice(deps: Pick<PrivacyDeps, 'db' | 'clock'>, userId: string, version: string) {
  if (version !== CURRENT_NOTICE.version) {
    throw conflict('notice_outdated', `The current notice is version ${CURRENT_NOTICE.version}.`)
  }
  await insertNoticeAcceptance(deps.db, userId, version, deps.clock.now())
  return privacyStatus(deps.db, userId)
}

/** Grants or withdraws optional consents; takes effect in the other services through the feed. */
export async function updateConsents(
  deps: Pick<PrivacyDeps, 'db' | 'clock'>,
  userId: string,
  changes: Partial<Consents>,
) {
  await deps.db.transaction().execute((trx) => recordConsents(trx, userId, changes, deps.clock.now()))
  return privacyStatus(deps.db, userId)
}

/** Whether the person still has to accept the current notice (signed up before it, or without one). */
export async function mustAcceptNotice(db: Kysely<DB>, userId: string): Promise<boolean> {
  return !(await hasAcceptedNotice(db, userId, CURRENT_NOTICE.version))
}
