import type { Actor, ReportedEvaluationList } from '@commons/contracts'
import { problem } from '@commons/service-kit'
import type { CommunityDeps } from '../deps.ts'
import { toEvaluationDto } from './evaluation-dto.ts'
import { insertEvaluationAudit, openReports, resolveReport } from './evaluations.repository.ts'

/** The moderators' queue: open reports of evaluations still shown, oldest first, with what they are about. */
export async function listEvaluationReports(deps: CommunityDeps, limit = 50): Promise<ReportedEvaluationList> {
  const rows = await openReports(deps.db, limit)
  return {
    items: rows.map(({ reportId, reportReason, reportedAt, activityTitle, organizationName, ...evaluation }) => ({
      id: reportId,
      reason: reportReason,
      createdAt: reportedAt.toISOString(),
      evaluation: toEvaluationDto(evaluation),
      activityTitle,
      organizationName: organizationName ?? '',
    })),
  }
}

/** A moderator dismisses a report with a reason: off the queue, and the decision in the evaluation's audit. */
export async function dismissEvaluationReport(deps: CommunityDeps, actor: Actor, reportId: string, reason: string) {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now()
    const report = await resolveReport(trx, reportId, now)
    // A report already answered is off the queue; a second moderator's decision finds nothing to decide.
    if (!report) throw problem('not_found', `No open report with id ${reportId}.`)
    await insertEvaluationAudit(trx, {
      evaluationId: report.evaluationId,
      action: 'dismiss_report',
      actorUserId: actor.userId,
      reason,
      at: now,
    })
  })
}
