import {
  type Actor,
  COMMUNITY_EVENTS,
  type CreateEvaluationBody,
  EVALUATION_DIMENSIONS,
  type Evaluation,
  type EvaluationDirection,
  type Scorecard,
} from '@commons/contracts'
import { appendEvent, isUniqueViolation, newId } from '@commons/db'
import { badRequest, conflict, forbidden, notFound, pageOf, readCursor } from '@commons/service-kit'
import { type Kysely, sql, type Transaction } from 'kysely'
import { z } from 'zod'
import { isOrganizationAdmin } from '../activities/access.ts'
import { lockActivity } from '../activities/activities.repository.ts'
import type { ActivityRow, DB } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { EVALUATION_WINDOW_DAYS } from '../ending/activity-end.ts'
import { evaluationWindowKey } from '../jobs/community-jobs.ts'
import { scheduleBadgesRecheck } from './badges.ts'
import { toEvaluationDto } from './evaluation-dto.ts'
import { settleFlag } from './flags.ts'
import { BADGE_MIN_COUNT, bayesian, DEFAULT_PRIOR, inTopDecile } from './scorecard.ts'

const DAY = 24 * 60 * 60_000
const VOLUNTEER_DIRECTIONS: readonly EvaluationDirection[] = ['attendee_to_volunteer', 'host_to_volunteer']

/** The people who were there: confirmed sign-ups checked in, by role. */
async function servedOf(db: Kysely<DB>, activityId: string) {
  const rows = await db
    .selectFrom('registrations')
    .select(['userId', 'role'])
    .where('activityId', '=', activityId)
    .where('status', '=', 'confirmed')
    .where('checkedInAt', 'is not', null)
    .execute()
  return {
    attendees: new Set(rows.filter((r) => r.role === 'attendee').map((r) => r.userId)),
    volunteers: new Set(rows.filter((r) => r.role === 'volunteer').map((r) => r.userId)),
  }
}

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
    let row: Awaited<ReturnType<typeof insert>>
    const insert = () =>
      trx
        .insertInto('evaluations')
        .values({
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
        .returningAll()
        .executeTakeFirstOrThrow()
    try {
      row = await insert()
    } catch (error) {
      if (isUniqueViolation(error, 'evaluations_once'))
        throw conflict('already_evaluated', 'You have already given this evaluation.')
      throw error
    }
    if (await everyoneSpoke(trx, activity, served)) {
      await publishEvaluations(deps, trx, activity, now)
      await deps.jobs.cancel(trx, evaluationWindowKey(activity.id))
      row = await trx.selectFrom('evaluations').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()
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
  const given = await trx
    .selectFrom('evaluations')
    .select(['direction', 'authorUserId', 'subjectUserId'])
    .where('activityId', '=', activity.id)
    .execute()
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
  await trx
    .updateTable('evaluations')
    .set({ publishedAt: now })
    .where('activityId', '=', activity.id)
    .where('publishedAt', 'is', null)
    .execute()
  await trx.updateTable('activities').set({ evaluationsPublishedAt: now }).where('id', '=', activity.id).execute()
  const subjects = await trx
    .selectFrom('evaluations')
    .select('subjectUserId')
    .distinct()
    .where('activityId', '=', activity.id)
    .where('subjectUserId', 'is not', null)
    .execute()
  await settleOrganization(trx, activity.organizationId, now)
  for (const s of subjects) await announceScorecard(trx, 'member', s.subjectUserId as string, now)
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

/**
 * Applies the 整改中 rule to an organization after its evaluations changed and announces its scorecard
 * (`scorecard.updated`, which search reads); a change of flag is audited and notified (flags.ts).
 */
export async function settleOrganization(trx: Transaction<DB>, organizationId: string, now: Date): Promise<void> {
  await settleFlag(trx, organizationId, now)
  await announceScorecard(trx, 'organization', organizationId, now)
}

const PRIMARY: Record<'organization' | 'member', EvaluationDirection[]> = {
  organization: ['attendee_to_host', 'volunteer_to_host'],
  member: ['host_to_volunteer', 'attendee_to_volunteer'],
}

/** Published, visible evaluations: the only ones that count anywhere. */
const counted = (db: Kysely<DB>) =>
  db.selectFrom('evaluations').where('publishedAt', 'is not', null).where('hiddenAt', 'is', null)

/** The platform mean of each direction: the prior every subject's average starts from. */
export async function priors(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await counted(db)
    .select(['direction', sql<number>`avg(score)::float8`.as('mean')])
    .groupBy('direction')
    .execute()
  return new Map(rows.map((r) => [r.direction, r.mean]))
}

/** Every subject's Bayesian average over its kind's directions, for the top-decile badge. */
export async function averagesOf(db: Kysely<DB>, kind: 'organization' | 'member', prior: Map<string, number>) {
  const key = kind === 'organization' ? 'organizationId' : 'subjectUserId'
  const rows = await counted(db)
    .select([
      sql<string>`${sql.ref(kind === 'organization' ? 'organization_id' : 'subject_user_id')}`.as('subject'),
      'direction',
      sql<number>`sum(score)::int`.as('sum'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .where('direction', 'in', PRIMARY[kind])
    .groupBy([key, 'direction'])
    .execute()
  const bySubject = new Map<string, { sum: number; count: number; prior: number }>()
  for (const r of rows) {
    const s = bySubject.get(r.subject) ?? { sum: 0, count: 0, prior: 0 }
    s.sum += r.sum
    s.count += r.count
    bySubject.set(r.subject, s)
  }
  const combinedPrior =
    PRIMARY[kind].reduce((acc, d) => acc + (prior.get(d) ?? DEFAULT_PRIOR), 0) / PRIMARY[kind].length
  return new Map(
    [...bySubject].map(([id, s]) => [id, { average: bayesian(s.sum, s.count, combinedPrior), count: s.count }]),
  )
}

/** A subject's public scorecard: per direction, the Bayesian average and counts; badge; 整改中; comments. */
export async function scorecardOf(db: Kysely<DB>, kind: 'organization' | 'member', id: string): Promise<Scorecard> {
  const prior = await priors(db)
  const key = kind === 'organization' ? 'organizationId' : 'subjectUserId'
  const rows = await counted(db)
    .select(['direction', sql<number>`sum(score)::int`.as('sum'), sql<number>`count(*)::int`.as('count')])
    .where(key, '=', id)
    .where('direction', 'in', PRIMARY[kind])
    .groupBy('direction')
    .execute()
  const lines = PRIMARY[kind].map((direction) => {
    const r = rows.find((x) => x.direction === direction)
    const p = prior.get(direction) ?? DEFAULT_PRIOR
    return {
      direction,
      average: bayesian(r?.sum ?? 0, r?.count ?? 0, p),
      mean: r && r.count > 0 ? Math.round((r.sum / r.count) * 100) / 100 : null,
      count: r?.count ?? 0,
    }
  })
  const flag =
    kind === 'organization'
      ? await db
          .selectFrom('organizationFlags')
          .select('rectifying')
          .where('organizationId', '=', id)
          .executeTakeFirst()
      : undefined
  const rectifying = flag?.rectifying ?? false
  const averages = await averagesOf(db, kind, prior)
  const mine = averages.get(id)
  const eligible = [...averages.values()].filter((a) => a.count >= BADGE_MIN_COUNT).map((a) => a.average)
  const badge = !rectifying && mine !== undefined && inTopDecile(mine, eligible)
  const comments = await counted(db)
    .select(['direction', 'score', 'comment', 'publishedAt'])
    .where(key, '=', id)
    .where('direction', 'in', PRIMARY[kind])
    .where('comment', 'is not', null)
    .orderBy('publishedAt', 'desc')
    .limit(5)
    .execute()
  return {
    subject: kind,
    id,
    lines,
    badge,
    rectifying,
    recentComments: comments.map((c) => ({
      direction: c.direction,
      score: c.score,
      comment: c.comment as string,
      at: (c.publishedAt as Date).toISOString(),
    })),
  }
}

/** Announces a subject's scorecard (`scorecard.updated`) with a version of its own. */
export async function announceScorecard(trx: Transaction<DB>, kind: 'organization' | 'member', id: string, _now: Date) {
  const card = await scorecardOf(trx, kind, id)
  const version = await trx
    .insertInto('scorecardVersions')
    .values({ subject: kind, id, version: 1, badge: card.badge, rectifying: card.rectifying })
    .onConflict((oc) =>
      oc.columns(['subject', 'id']).doUpdateSet((eb) => ({
        version: eb('scorecardVersions.version', '+', 1),
        badge: eb.ref('excluded.badge'),
        rectifying: eb.ref('excluded.rectifying'),
      })),
    )
    .returning('version')
    .executeTakeFirstOrThrow()
  const primary = card.lines[0]
  await appendEvent(trx, {
    type: COMMUNITY_EVENTS.scorecardUpdated,
    entityId: id,
    version: version.version,
    payload: {
      subject: kind,
      id,
      average: primary?.average ?? DEFAULT_PRIOR,
      count: card.lines.reduce((n, l) => n + l.count, 0),
      badge: card.badge,
      rectifying: card.rectifying,
      version: version.version,
    },
  })
}

const EvaluationPosition = z.tuple([z.string(), z.string()])

/** Published evaluations, newest first (hidden ones show without their comment). */
export async function listEvaluations(
  deps: CommunityDeps,
  query: { activityId?: string; organizationId?: string; subjectUserId?: string; cursor?: string; limit: number },
) {
  const after = readCursor(EvaluationPosition, query.cursor)
  let q = deps.db.selectFrom('evaluations').selectAll().where('publishedAt', 'is not', null)
  if (query.activityId) q = q.where('activityId', '=', query.activityId)
  if (query.organizationId) q = q.where('organizationId', '=', query.organizationId)
  if (query.subjectUserId) q = q.where('subjectUserId', '=', query.subjectUserId)
  if (after) {
    const [at, id] = after
    q = q.where((eb) =>
      eb.or([eb('publishedAt', '<', new Date(at)), eb.and([eb('publishedAt', '=', new Date(at)), eb('id', '<', id)])]),
    )
  }
  const rows = await q
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute()
  return pageOf(rows, query.limit, toEvaluationDto, (r) => [(r.publishedAt as Date).toISOString(), r.id])
}

async function lockEvaluation(trx: Transaction<DB>, id: string) {
  const row = await trx.selectFrom('evaluations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  if (!row?.publishedAt) throw notFound('evaluation', id)
  return row
}

/** The rated side answers once, publicly: the host's admins for the host, the volunteer for themselves. */
export async function replyToEvaluation(deps: CommunityDeps, actor: Actor, id: string, reply: string) {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockEvaluation(trx, id)
    const rated = row.subjectUserId
      ? actor.userId === row.subjectUserId
      : isOrganizationAdmin(actor, row.organizationId)
    if (!rated) throw forbidden('Only the rated side may reply.', 'not_rated_side')
    if (row.reply !== null) throw conflict('already_replied', 'This evaluation already has a reply.')
    const next = await trx
      .updateTable('evaluations')
      .set({ reply, repliedAt: deps.clock.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return toEvaluationDto(next)
  })
}

/** Anyone signed in may report an evaluation to the moderators, once. */
export async function reportEvaluation(deps: CommunityDeps, actor: Actor, id: string, reason: string) {
  const row = await deps.db
    .selectFrom('evaluations')
    .select(['id', 'publishedAt'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row?.publishedAt) throw notFound('evaluation', id)
  await deps.db
    .insertInto('evaluationReports')
    .values({ id: newId(), evaluationId: id, reporterUserId: actor.userId, reason, createdAt: deps.clock.now() })
    .onConflict((oc) => oc.columns(['evaluationId', 'reporterUserId']).doNothing())
    .execute()
}

/** A moderator hides an evaluation with a reason (audited); it stops counting, so the host's flag is settled again. */
export async function hideEvaluation(deps: CommunityDeps, actor: Actor, id: string, reason: string) {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockEvaluation(trx, id)
    // A moderator does not judge an evaluation of their own organization's activity, nor one they wrote or
    // that is about them: 403 `own_organization`, as in listings' review and bookings' rating hides.
    if (actor.roles[row.organizationId] || actor.userId === row.authorUserId || actor.userId === row.subjectUserId)
      throw forbidden(
        'Moderators may not act on evaluations of organizations they belong to; another moderator will.',
        'own_organization',
      )
    if (row.hiddenAt) return toEvaluationDto(row)
    const now = deps.clock.now()
    const next = await trx
      .updateTable('evaluations')
      .set({ hiddenAt: now, hiddenReason: reason })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('evaluationAudit')
      .values({ evaluationId: id, action: 'hide', actorUserId: actor.userId, reason, at: now })
      .execute()
    // Hiding answers every open report of it: they leave the moderators' queue.
    await trx
      .updateTable('evaluationReports')
      .set({ resolvedAt: now })
      .where('evaluationId', '=', id)
      .where('resolvedAt', 'is', null)
      .execute()
    await settleOrganization(trx, row.organizationId, now)
    if (row.subjectUserId) await announceScorecard(trx, 'member', row.subjectUserId, now)
    await scheduleBadgesRecheck(deps, trx)
    return toEvaluationDto(next)
  })
}

/** The moderators' watchlist: organizations marked 整改中, longest first. */
export async function watchlist(deps: CommunityDeps) {
  const rows = await deps.db
    .selectFrom('organizationFlags')
    .selectAll()
    .where('rectifying', '=', true)
    .orderBy('since')
    .execute()
  return {
    items: rows.map((r) => ({
      organizationId: r.organizationId,
      since: (r.since as Date).toISOString(),
      average90d: r.average90d ?? 0,
      count90d: r.count90d,
    })),
  }
}
