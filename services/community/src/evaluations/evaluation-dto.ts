import type { Evaluation } from '@commons/contracts'
import type { EvaluationRow } from '../db/schema.ts'

/** An evaluation as the API shows it: never its author; a hidden one without its comment. */
export function toEvaluationDto(row: EvaluationRow): Evaluation {
  return {
    id: row.id,
    activityId: row.activityId,
    direction: row.direction,
    organizationId: row.organizationId,
    subjectUserId: row.subjectUserId,
    score: row.score,
    dimensions: row.dimensions,
    comment: row.hiddenAt ? null : row.comment,
    reply: row.reply,
    published: row.publishedAt !== null,
    hidden: row.hiddenAt !== null,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  }
}
