import type { EvaluationDirection } from '@commons/contracts'
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely'
import type { DB, EvaluationRow, EvaluationsTable } from '../db/schema.ts'
import { checkedIn } from '../registrations/registrations.repository.ts'

export type ScorecardKind = 'organization' | 'member'

/** The people who were there: confirmed sign-ups checked in, by role. */
export async function servedOf(db: Kysely<DB>, activityId: string) {
  const rows = await checkedIn(db, activityId)
  return {
    attendees: new Set(rows.filter((r) => r.role === 'attendee').map((r) => r.userId)),
    volunteers: new Set(rows.filter((r) => r.role === 'volunteer').map((r) => r.userId)),
  }
}

export const insertEvaluation = (trx: Transaction<DB>, values: Insertable<EvaluationsTable>) =>
  trx.insertInto('evaluations').values(values).returningAll().executeTakeFirstOrThrow()

export const findEvaluation = (db: Kysely<DB>, id: string) =>
  db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst()

/** Who has said what about an activity so far. */
export const evaluationsGiven = (trx: Transaction<DB>, activityId: string) =>
  trx
    .selectFrom('evaluations')
    .select(['direction', 'authorUserId', 'subjectUserId'])
    .where('activityId', '=', activityId)
    .execute()

/** Publishes every unpublished evaluation of an activity and marks the activity; resolves the members rated. */
export async function publishActivityEvaluations(trx: Transaction<DB>, activityId: string, now: Date) {
  await trx
    .updateTable('evaluations')
    .set({ publishedAt: now })
    .where('activityId', '=', activityId)
    .where('publishedAt', 'is', null)
    .execute()
  await trx.updateTable('activities').set({ evaluationsPublishedAt: now }).where('id', '=', activityId).execute()
  const subjects = await trx
    .selectFrom('evaluations')
    .select('subjectUserId')
    .distinct()
    .where('activityId', '=', activityId)
    .where('subjectUserId', 'is not', null)
    .execute()
  return subjects.map((s) => s.subjectUserId as string)
}

/** Published, visible evaluations: the only ones that count anywhere. */
const counted = (db: Kysely<DB>) =>
  db.selectFrom('evaluations').where('publishedAt', 'is not', null).where('hiddenAt', 'is', null)

const subjectKey = (kind: ScorecardKind) => (kind === 'organization' ? 'organizationId' : 'subjectUserId')

/** The platform mean score of each direction. */
export async function directionMeans(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await counted(db)
    .select(['direction', sql<number>`avg(score)::float8`.as('mean')])
    .groupBy('direction')
    .execute()
  return new Map(rows.map((r) => [r.direction, r.mean]))
}

/** Sum and count of scores per subject of a kind and direction, over the directions given. */
export function sumsBySubject(db: Kysely<DB>, kind: ScorecardKind, directions: EvaluationDirection[]) {
  return counted(db)
    .select([
      sql<string>`${sql.ref(kind === 'organization' ? 'organization_id' : 'subject_user_id')}`.as('subject'),
      'direction',
      sql<number>`sum(score)::int`.as('sum'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .where('direction', 'in', directions)
    .groupBy([subjectKey(kind), 'direction'])
    .execute()
}

/** Sum and count of one subject's scores per direction, over the directions given. */
export function sumsOfSubject(db: Kysely<DB>, kind: ScorecardKind, id: string, directions: EvaluationDirection[]) {
  return counted(db)
    .select(['direction', sql<number>`sum(score)::int`.as('sum'), sql<number>`count(*)::int`.as('count')])
    .where(subjectKey(kind), '=', id)
    .where('direction', 'in', directions)
    .groupBy('direction')
    .execute()
}

/** The latest five comments about a subject in the directions given. */
export function recentComments(db: Kysely<DB>, kind: ScorecardKind, id: string, directions: EvaluationDirection[]) {
  return counted(db)
    .select(['direction', 'score', 'comment', 'publishedAt'])
    .where(subjectKey(kind), '=', id)
    .where('direction', 'in', directions)
    .where('comment', 'is not', null)
    .orderBy('publishedAt', 'desc')
    .limit(5)
    .execute()
}

/** Stores the marks being announced and resolves the scorecard's next version. */
export async function bumpScorecardVersion(
  trx: Transaction<DB>,
  kind: ScorecardKind,
  id: string,
  marks: { badge: boolean; rectifying: boolean },
): Promise<number> {
  const row = await trx
    .insertInto('scorecardVersions')
    .values({ subject: kind, id, version: 1, ...marks })
    .onConflict((oc) =>
      oc.columns(['subject', 'id']).doUpdateSet((eb) => ({
        version: eb('scorecardVersions.version', '+', 1),
        badge: eb.ref('excluded.badge'),
        rectifying: eb.ref('excluded.rectifying'),
      })),
    )
    .returning('version')
    .executeTakeFirstOrThrow()
  return row.version
}

/** Every announced scorecard of a kind: the marks announced last, and the organization's flag now. */
export const announcedMarks = (db: Kysely<DB>, kind: ScorecardKind) =>
  db
    .selectFrom('scorecardVersions as v')
    .leftJoin('organizationFlags as f', (j) => j.onRef('f.organizationId', '=', 'v.id').on('v.subject', '=', kind))
    .select(['v.id', 'v.badge', 'v.rectifying', 'f.rectifying as flagged'])
    .where('v.subject', '=', kind)
    .execute()

/** Locks a scorecard's announced marks. */
export const lockAnnouncedMarks = (trx: Transaction<DB>, kind: ScorecardKind, id: string) =>
  trx
    .selectFrom('scorecardVersions')
    .select(['badge', 'rectifying'])
    .where('subject', '=', kind)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow()

/** Published evaluations, newest first, after a keyset position (published at, id). */
export function publishedEvaluations(
  db: Kysely<DB>,
  query: { activityId?: string; organizationId?: string; subjectUserId?: string; limit: number },
  after: readonly [string, string] | undefined,
) {
  let q = db.selectFrom('evaluations').selectAll().where('publishedAt', 'is not', null)
  if (query.activityId) q = q.where('activityId', '=', query.activityId)
  if (query.organizationId) q = q.where('organizationId', '=', query.organizationId)
  if (query.subjectUserId) q = q.where('subjectUserId', '=', query.subjectUserId)
  if (after) {
    const [at, id] = after
    q = q.where((eb) =>
      eb.or([eb('publishedAt', '<', new Date(at)), eb.and([eb('publishedAt', '=', new Date(at)), eb('id', '<', id)])]),
    )
  }
  return q
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute()
}

export const lockEvaluation = (trx: Transaction<DB>, id: string) =>
  trx.selectFrom('evaluations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()

export const updateEvaluation = (
  trx: Transaction<DB>,
  id: string,
  set: Partial<Pick<EvaluationRow, 'reply' | 'repliedAt' | 'hiddenAt' | 'hiddenReason'>>,
) => trx.updateTable('evaluations').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow()

/** Records a report once per reporter (a second report of the same person changes nothing). */
export async function insertReport(
  db: Kysely<DB>,
  r: { id: string; evaluationId: string; reporterUserId: string; reason: string; createdAt: Date },
) {
  await db
    .insertInto('evaluationReports')
    .values(r)
    .onConflict((oc) => oc.columns(['evaluationId', 'reporterUserId']).doNothing())
    .execute()
}

export async function insertEvaluationAudit(
  trx: Transaction<DB>,
  a: { evaluationId: string; action: string; actorUserId: string; reason: string; at: Date },
) {
  await trx.insertInto('evaluationAudit').values(a).execute()
}

/** Resolves every open report of an evaluation. */
export async function resolveReportsOf(trx: Transaction<DB>, evaluationId: string, now: Date) {
  await trx
    .updateTable('evaluationReports')
    .set({ resolvedAt: now })
    .where('evaluationId', '=', evaluationId)
    .where('resolvedAt', 'is', null)
    .execute()
}

/** Resolves one open report; undefined when there is no open report by that id. */
export const resolveReport = (trx: Transaction<DB>, reportId: string, now: Date) =>
  trx
    .updateTable('evaluationReports')
    .set({ resolvedAt: now })
    .where('id', '=', reportId)
    .where('resolvedAt', 'is', null)
    .returning(['evaluationId'])
    .executeTakeFirst()

/** Open reports of evaluations still shown, oldest first, with the activity's title and host's name. */
export const openReports = (db: Kysely<DB>, limit: number) =>
  db
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

/** The 90-day figures from the people served (attendee_to_host), published and not hidden. */
export async function servedFigures(db: Kysely<DB>, organizationId: string, since: Date) {
  const row = await db
    .selectFrom('evaluations as e')
    .innerJoin('activities as a', 'a.id', 'e.activityId')
    .select([sql<number | null>`avg(e.score)::float8`.as('average'), sql<number>`count(*)::int`.as('count')])
    .where('e.organizationId', '=', organizationId)
    .where('e.direction', '=', 'attendee_to_host')
    .where('e.publishedAt', 'is not', null)
    .where('e.hiddenAt', 'is', null)
    .where('a.endAt', '>', since)
    .executeTakeFirstOrThrow()
  return { average: row.average === null ? null : Math.round(row.average * 100) / 100, count: row.count }
}

export const findFlag = (db: Kysely<DB>, organizationId: string) =>
  db.selectFrom('organizationFlags').selectAll().where('organizationId', '=', organizationId).executeTakeFirst()

export const lockFlag = (trx: Transaction<DB>, organizationId: string) =>
  trx
    .selectFrom('organizationFlags')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .forUpdate()
    .executeTakeFirst()

export async function saveFlag(
  trx: Transaction<DB>,
  flag: {
    organizationId: string
    rectifying: boolean
    since: Date | null
    average90d: number | null
    count90d: number
    updatedAt: Date
  },
) {
  await trx
    .insertInto('organizationFlags')
    .values(flag)
    .onConflict((oc) =>
      oc.column('organizationId').doUpdateSet((eb) => ({
        rectifying: eb.ref('excluded.rectifying'),
        since: eb.ref('excluded.since'),
        average90d: eb.ref('excluded.average90d'),
        count90d: eb.ref('excluded.count90d'),
        updatedAt: eb.ref('excluded.updatedAt'),
      })),
    )
    .execute()
}

/** Audits a change of flag and resolves how many changes the organization's flag has had. */
export async function auditFlagChange(
  trx: Transaction<DB>,
  change: { organizationId: string; rectifying: boolean; average90d: number | null; count90d: number; at: Date },
): Promise<number> {
  await trx.insertInto('flagAudit').values(change).execute()
  const row = await trx
    .selectFrom('flagAudit')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('organizationId', '=', change.organizationId)
    .executeTakeFirstOrThrow()
  return row.n
}

export const flaggedOrganizationIds = async (db: Kysely<DB>) =>
  (await db.selectFrom('organizationFlags').select('organizationId').orderBy('organizationId').execute()).map(
    (r) => r.organizationId,
  )

export const rectifyingFlags = (db: Kysely<DB>) =>
  db.selectFrom('organizationFlags').selectAll().where('rectifying', '=', true).orderBy('since').execute()
