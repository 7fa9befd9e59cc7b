import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { BADGES_RECHECK_KEY } from '../jobs/community-jobs.ts'
import { announcedMarks, lockAnnouncedMarks } from './evaluations.repository.ts'
import { BADGE_MIN_COUNT, inTopDecile } from './scorecard.ts'
import { announceScorecard, averagesOf, priors, scorecardOf } from './scorecards.service.ts'

type Kind = 'organization' | 'member'
const KINDS: readonly Kind[] = ['organization', 'member']

/**
 * Queues the recheck of every badge in the transaction that published or hid evaluations. The top decile
 * is relative: one organization's good evaluations can take another's badge, and that other hears of it
 * only through this job. One pending job by its key, so a burst of publications costs one run.
 */
export async function scheduleBadgesRecheck(deps: CommunityDeps, trx: Transaction<DB>): Promise<void> {
  await deps.jobs.enqueue(trx, 'badges.recheck', {}, { runAt: deps.clock.now(), key: BADGES_RECHECK_KEY })
}

/**
 * Judges every announced scorecard's badge against the current averages of all subjects of its kind and
 * announces (`scorecard.updated`, which search ranks by) each one whose badge or 整改中 mark moved since it
 * was last announced. A subject is settled in its own short transaction with its row locked, judged again
 * from fresh figures there, so a publication racing the recheck is never announced twice or missed.
 */
export async function recheckBadges(deps: CommunityDeps): Promise<{ checked: number; changed: number }> {
  let checked = 0
  let changed = 0
  for (const kind of KINDS) {
    const averages = await averagesOf(deps.db, kind, await priors(deps.db))
    const eligible = [...averages.values()].filter((a) => a.count >= BADGE_MIN_COUNT).map((a) => a.average)
    const marks = await announcedMarks(deps.db, kind)
    for (const mark of marks) {
      checked += 1
      const mine = averages.get(mark.id)
      const rectifying = mark.flagged ?? false
      const badge = !rectifying && mine !== undefined && inTopDecile(mine, eligible)
      if (badge === mark.badge && rectifying === mark.rectifying) continue
      const moved = await deps.db.transaction().execute(async (trx) => {
        const row = await lockAnnouncedMarks(trx, kind, mark.id)
        const card = await scorecardOf(trx, kind, mark.id)
        if (card.badge === row.badge && card.rectifying === row.rectifying) return false
        await announceScorecard(trx, kind, mark.id, deps.clock.now())
        return true
      })
      if (moved) changed += 1
    }
  }
  return { checked, changed }
}
