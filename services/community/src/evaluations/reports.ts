import type { Actor, ReportedEvaluationList } from '@commons/contracts'
import { problem } from '@commons/service-kit'
import type { CommunityDeps } from '../deps.ts'
import { toEvaluationDto } from './evaluation-dto.ts'

/** The moderators' queue: open reports of evaluations still shown, oldest first, with what they are about. */
export async function listEvaluationReports(deps: CommunityDeps, limit = 50): Promise<ReportedEvaluationList> {
  const rows = await deps.db
    .selectFrom('evaluationReports as r')
    .innerJoin('evaluations as e', 'e.id', 'r.evaluationId')
    .innerJoin('activities as a', 'a.id', 'e.activityId')
    .leftJoin('organizations as o', 'o.id', 'e.organizationId')
    .selectAll('e')
    .select([
      'r.id as reportId',
      'r.reason as reportReason',
      'r.createdAt as reportedAt',
      'a.title as activityTitle',
      'o.name as organizationName',
    ])
    .where('r.resolvedAt', 'is', null)
    .where('e.hiddenAt', 'is', null)
    .orderBy('r.createdAt')
    .orderBy('r.id')
    .limit(limit)
    .execute()
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
    const report = await trx
      .updateTable('evaluationReports')
      .set({ resolvedAt: now })
      .where('id', '=', reportId)
      .where('resolvedAt', 'is', null)
      .returning(['evaluationId'])
      .executeTakeFirst()
    // A report already answered is off the queue; a second moderator's decision finds nothing to decide.
    if (!report) throw problem('not_found', `No open report with id ${reportId}.`)
    await trx
      .insertInto('evaluationAudit')
      .values({
        evaluationId: report.evaluationId,
        action: 'dismiss_report',
        actorUserId: actor.userId,
        reason,
        at: now,
      })
      .execute()
  })
}
