import { COMMUNITY_EVENTS } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import type { Transaction } from 'kysely'
import { organizationName } from '../activities/activities.repository.ts'
import type { DB } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { FLAGS_RECHECK_KEY } from '../jobs/community-jobs.ts'
import { auditFlagChange, flaggedOrganizationIds, lockFlag, saveFlag, servedFigures } from './evaluations.repository.ts'
import { FLAG_WINDOW_DAYS, nextFlag } from './scorecard.ts'
import { announceScorecard } from './scorecards.service.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** The daily recheck runs at 03:00 Asia/Shanghai (UTC+8 all year), when nobody is evaluating. */
const RECHECK_HOUR_SHANGHAI = 3

/**
 * Applies the 整改中 rule to an organization by its figures as of `now`. A change of flag is audited
 * (`flag_audit`) and announced as `organization.flag-changed`, which messaging turns into a notification
 * for the organization's admins. Resolves whether the flag changed.
 */
export async function settleFlag(trx: Transaction<DB>, organizationId: string, now: Date): Promise<boolean> {
  const figures = await servedFigures(trx, organizationId, new Date(now.getTime() - FLAG_WINDOW_DAYS * DAY))
  const current = await lockFlag(trx, organizationId)
  const was = current?.rectifying ?? false
  const next = nextFlag(was, figures.average, figures.count)
  await saveFlag(trx, {
    organizationId,
    rectifying: next,
    since: next ? (was ? (current?.since ?? now) : now) : null,
    average90d: figures.average,
    count90d: figures.count,
    updatedAt: now,
  })
  if (next === was) return false
  // The audit count is the flag's own version: one more with every change.
  const version = await auditFlagChange(trx, {
    organizationId,
    rectifying: next,
    average90d: figures.average,
    count90d: figures.count,
    at: now,
  })
  await appendEvent(trx, {
    type: COMMUNITY_EVENTS.flagChanged,
    entityId: organizationId,
    version,
    payload: {
      organizationId,
      organizationName: await organizationName(trx, organizationId),
      rectifying: next,
      average90d: figures.average,
      count90d: figures.count,
      at: now.toISOString(),
    },
  })
  return true
}

/** The next 03:00 in Shanghai after `now`. */
export function nextRecheckAt(now: Date): Date {
  const local = new Date(now.getTime() + 8 * HOUR)
  const today = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), RECHECK_HOUR_SHANGHAI)
  const at = today - 8 * HOUR
  return new Date(at > now.getTime() ? at : at + DAY)
}

/** Makes sure the daily recheck is queued (one pending job by its key; queueing again only moves it). */
export async function scheduleFlagsRecheck(deps: CommunityDeps, trx?: Transaction<DB>): Promise<void> {
  const enqueue = (t: Transaction<DB>) =>
    deps.jobs.enqueue(t, 'flags.recheck', {}, { runAt: nextRecheckAt(deps.clock.now()), key: FLAGS_RECHECK_KEY })
  if (trx) await enqueue(trx)
  else await deps.db.transaction().execute(enqueue)
}

/**
 * The daily recheck: evaluations age out of the 90-day window without anything happening to the
 * organization, so a flag can only recover (or, as good evaluations age out, fall) when time is looked at.
 * Every organization with a flag row is settled again, each in its own short transaction; a changed flag
 * is announced with the scorecard (search drops or restores the lift). Then tomorrow's run is queued.
 */
export async function recheckFlags(deps: CommunityDeps): Promise<{ checked: number; changed: number }> {
  const now = deps.clock.now()
  const ids = await flaggedOrganizationIds(deps.db)
  let changed = 0
  for (const organizationId of ids) {
    await deps.db.transaction().execute(async (trx) => {
      if (await settleFlag(trx, organizationId, now)) {
        changed += 1
        await announceScorecard(trx, 'organization', organizationId, now)
      }
    })
  }
  await scheduleFlagsRecheck(deps)
  return { checked: ids.length, changed }
}
