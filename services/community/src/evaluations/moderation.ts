import type { Actor } from '@commons/contracts'
import { forbidden } from '@commons/service-kit'
import type { CommunityDeps } from '../deps.ts'
import { scheduleBadgesRecheck } from './badges.ts'
import { toEvaluationDto } from './evaluation-dto.ts'
import { insertEvaluationAudit, rectifyingFlags, resolveReportsOf, updateEvaluation } from './evaluations.repository.ts'
import { lockPublishedEvaluation } from './evaluations.service.ts'
import { announceScorecard, settleOrganization } from './scorecards.service.ts'

/** A moderator hides an evaluation with a reason (audited); it stops counting, so the host's flag is settled again. */
export async function hideEvaluation(deps: CommunityDeps, actor: Actor, id: string, reason: string) {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockPublishedEvaluation(trx, id)
    // A moderator does not judge an evaluation of their own organization's activity, nor one they wrote or
    // that is about them: 403 `own_organization`, as in listings' review and bookings' rating hides.
    if (actor.roles[row.organizationId] || actor.userId === row.authorUserId || actor.userId === row.subjectUserId)
      throw forbidden(
        'Moderators may not act on evaluations of organizations they belong to; another moderator will.',
        'own_organization',
      )
    if (row.hiddenAt) return toEvaluationDto(row)
    const now = deps.clock.now()
    const next = await updateEvaluation(trx, id, { hiddenAt: now, hiddenReason: reason })
    await insertEvaluationAudit(trx, { evaluationId: id, action: 'hide', actorUserId: actor.userId, reason, at: now })
    // Hiding answers every open report of it: they leave the moderators' queue.
    await resolveReportsOf(trx, id, now)
    await settleOrganization(trx, row.organizationId, now)
    if (row.subjectUserId) await announceScorecard(trx, 'member', row.subjectUserId, now)
    await scheduleBadgesRecheck(deps, trx)
    return toEvaluationDto(next)
  })
}

/** The moderators' watchlist: organizations marked 整改中, longest first. */
export async function watchlist(deps: CommunityDeps) {
  const rows = await rectifyingFlags(deps.db)
  return {
    items: rows.map((r) => ({
      organizationId: r.organizationId,
      since: (r.since as Date).toISOString(),
      average90d: r.average90d ?? 0,
      count90d: r.count90d,
    })),
  }
}
