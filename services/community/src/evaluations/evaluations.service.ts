import type { Actor } from '@commons/contracts'
import { newId } from '@commons/db'
import { conflict, forbidden, notFound, pageOf, readCursor } from '@commons/service-kit'
import type { Transaction } from 'kysely'
import { z } from 'zod'
import { isOrganizationAdmin } from '../activities/access.ts'
import type { DB } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { toEvaluationDto } from './evaluation-dto.ts'
import {
  findEvaluation,
  insertReport,
  lockEvaluation,
  publishedEvaluations,
  updateEvaluation,
} from './evaluations.repository.ts'

const EvaluationPosition = z.tuple([z.string(), z.string()])

/** Published evaluations, newest first (hidden ones show without their comment). */
export async function listEvaluations(
  deps: CommunityDeps,
  query: { activityId?: string; organizationId?: string; subjectUserId?: string; cursor?: string; limit: number },
) {
  const rows = await publishedEvaluations(deps.db, query, readCursor(EvaluationPosition, query.cursor))
  return pageOf(rows, query.limit, toEvaluationDto, (r) => [(r.publishedAt as Date).toISOString(), r.id])
}

/** A published evaluation, locked; 404 for one not (yet) published, as if there were none. */
export async function lockPublishedEvaluation(trx: Transaction<DB>, id: string) {
  const row = await lockEvaluation(trx, id)
  if (!row?.publishedAt) throw notFound('evaluation', id)
  return row
}

/** The rated side answers once, publicly: the host's admins for the host, the volunteer for themselves. */
export async function replyToEvaluation(deps: CommunityDeps, actor: Actor, id: string, reply: string) {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockPublishedEvaluation(trx, id)
    const rated = row.subjectUserId
      ? actor.userId === row.subjectUserId
      : isOrganizationAdmin(actor, row.organizationId)
    if (!rated) throw forbidden('Only the rated side may reply.', 'not_rated_side')
    if (row.reply !== null) throw conflict('already_replied', 'This evaluation already has a reply.')
    const next = await updateEvaluation(trx, id, { reply, repliedAt: deps.clock.now() })
    return toEvaluationDto(next)
  })
}

/** Anyone signed in may report an evaluation to the moderators, once. */
export async function reportEvaluation(deps: CommunityDeps, actor: Actor, id: string, reason: string) {
  const row = await findEvaluation(deps.db, id)
  if (!row?.publishedAt) throw notFound('evaluation', id)
  await insertReport(deps.db, {
    id: newId(),
    evaluationId: id,
    reporterUserId: actor.userId,
    reason,
    createdAt: deps.clock.now(),
  })
}
