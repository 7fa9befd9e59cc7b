import {
  type Actor,
  type CreateEvaluationBody,
  EVALUATION_DIMENSIONS,
  type Evaluation,
  type EvaluationDirection,
} from '@commons/contracts'
import { isUniqueViolation, newId } from '@commons/db'
import { badRequest, conflict, forbidden, notFound } from '@commons/service-kit'
import type { Transaction } from 'kysely'
import { isOrganizationAdmin } from '../activities/access.ts'
import { lockActivity } from '../activities/activities.repository.ts'
import type { ActivityRow, DB, EvaluationRow } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { EVALUATION_WINDOW_DAYS } from '../ending/activity-end.ts'
import { evaluationWindowKey } from '../jobs/community-jobs.ts'
import { scheduleBadgesRecheck } from './badges.ts'
import { toEvaluationDto } from './evaluation-dto.ts'
import {
  evaluationsGiven,
  findEvaluation,
  insertEvaluation,
  publishActivityEvaluations,
  servedOf,
} from './evaluations.repository.ts'
import { announceScorecard, settleOrganization } from './scorecards.service.ts'

const DAY = 24 * 60 * 60_000
const VOLUNTEER_DIRECTIONS: readonly EvaluationDirection[] = ['attendee_to_volunteer', 'host_to_volunteer']

/**
 * Submits an evaluation of a held activity within its 14-day window. Who may speak in which direction
 * follows who was there: attendees checked in rate the host and the volunteers who served, the host's
 * admins rate each volunteer who served (once for the organization), volunteers who served rate the host.
 * Hidden until published; published at once when every party has spoken.
 */
export async function submitEvaluation(
  deps: CommunityDeps,
  actor: Actor,
  body: CreateEvaluationBody,
): Promise<Evaluation> {
  const allowed = EVALUATION_DIMENSIONS[body.direction]
  const unknown = Object.keys(body.dimensions).filter((d) => !allowed.includes(d))
  if (unknown.length)
    throw badRequest(
      `Unknown dimensions for ${body.direction}: ${unknown.join(', ')} (allowed: ${allowed.join(', ')}).`,
    )
  const needsSubject = VOLUNTEER_DIRECTIONS.includes(body.direction)
  if (needsSubject !== Boolean(body.subjectUserId)) {
    throw badRequest(needsSubject ? 'Name the volunteer (subjectUserId).' : 'subjectUserId is only for volunteers.')
  }
  return deps.db.transaction().execute(async (trx) => {
    // Locked, so the last two evaluations of an activity cannot both miss that everyone has spoken.
    const activity = await lockActivity(trx, body.activityId)
    if (!activity || activity.status === 'draft') throw notFound('activity', body.activityId)
    const now = deps.clock.now()
    if (!activity.endedAt) throw conflict('activity_not_over', 'Evaluations open when the activity has ended.')
    if (activity.evaluationsPublishedAt || now.getTime() > activity.endAt.getTime() + EVALUATION_WINDOW_DAYS * DAY) {
      throw conflict('evaluation_window_closed', 'The evaluation window of this activity has closed.')
    }
    const served = await servedOf(trx, activity.id)
    const subject = body.subjectUserId ?? null
    if (subject && !served.volunteers.has(subject)) throw badRequest('subjectUserId must name a volunteer who served.')
    if (subject === actor.userId) throw forbidden('Nobody evaluates themselves.', 'self_rating')
    let authorKey = actor.userId
    const mayAct =
      body.direction === 'attendee_to_host' || body.direction === 'attendee_to_volunteer'
        ? served.attendees.has(actor.userId)
        : body.direction === 'volunteer_to_host'
          ? served.volunteers.has(actor.userId)
          : isOrganizationAdmin(actor, activity.organizationId)
    if (!mayAct) throw forbidden('Only those who took part in this role may give this evaluation.', 'not_a_participant')
    if (body.direction === 'host_to_volunteer') authorKey = activity.organizationId
    let row: EvaluationRow
    try {
      row = await insertEvaluation(trx, {
        id: newId(now.getTime()),
        activityId: activity.id,
        organizationId: activity.organizationId,
        direction: body.direction,
        authorUserId: actor.userId,
        authorKey,
        subjectUserId: subject,
        score: body.score,
        dimensions: JSON.stringify(body.dimensions),
        comment: body.comment ?? null,
        createdAt: now,
      })
    } catch (error) {
      if (isUniqueViolation(error, 'evaluations_once'))
        throw conflict('already_evaluated', 'You have already given this evaluation.')
      throw error
    }
    if (await everyoneSpoke(trx, activity, served)) {
      await publishEvaluations(deps, trx, activity, now)
      await deps.jobs.cancel(trx, evaluationWindowKey(activity.id))
      row = (await findEvaluation(trx, row.id)) as EvaluationRow
    }
    return toEvaluationDto(row)
  })
}

/** Every attendee served rated the host, every volunteer served rated the host and was rated by it. */
async function everyoneSpoke(
  trx: Transaction<DB>,
  activity: ActivityRow,
  served: { attendees: Set<string>; volunteers: Set<string> },
): Promise<boolean> {
  if (served.attendees.size === 0 && served.volunteers.size === 0) return false
  const given = await evaluationsGiven(trx, activity.id)
  const has = (direction: EvaluationDirection, who: string) =>
    given.some(
      (e) =>
        e.direction === direction &&
        (direction === 'host_to_volunteer' ? e.subjectUserId === who : e.authorUserId === who),
    )
  return (
    [...served.attendees].every((a) => has('attendee_to_host', a)) &&
    [...served.volunteers].every((v) => has('volunteer_to_host', v) && has('host_to_volunteer', v))
  )
}

/** Publishes every evaluation of an activity at once, then settles the host's flag and the scorecards. */
async function publishEvaluations(deps: CommunityDeps, trx: Transaction<DB>, activity: ActivityRow, now: Date) {
  const subjects = await publishActivityEvaluations(trx, activity.id, now)
  await settleOrganization(trx, activity.organizationId, now)
  for (const subject of subjects) await announceScorecard(trx, 'member', subject, now)
  await scheduleBadgesRecheck(deps, trx)
}

/** The evaluation window's job: whatever was said by the close is published. */
export async function closeEvaluationWindow(deps: CommunityDeps, activityId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const activity = await lockActivity(trx, activityId)
    if (!activity || activity.evaluationsPublishedAt || !activity.endedAt) return
    await publishEvaluations(deps, trx, activity, deps.clock.now())
  })
}
