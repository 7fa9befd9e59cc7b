import type { Actor, ListingKind, OrganizationOverview, Question } from '@commons/contracts'
import { notFound } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { unmetDemand } from './unmet-demand.ts'

const DAY = 86_400_000
const round1 = (n: number) => Math.round(n * 10) / 10
const kindCounts = () => ({ venue: 0, expertise: 0, volunteer_time: 0 })

/** The organization and every organization below it by confirmed links, with their depth (bounded). */
async function scopeOf(db: Kysely<DB>, organizationId: string) {
  const { rows } = await sql<{ id: string; depth: number; name: string | null }>`
    with recursive down (id, depth) as (
      select ${organizationId}::uuid, 0
      union
      select p.organization_id, down.depth + 1
        from organization_parents p join down on p.parent_id = down.id
       where down.depth < 64
    )
    select down.id, min(down.depth)::int as depth, o.name
      from down left join organizations o on o.id = down.id
     group by down.id, o.name
     order by depth, o.name
  `.execute(db)
  return rows
}

/** Survey answers asking for a kind of resource (options with a category), by the respondent's district. */
async function surveyDemandOf(db: Kysely<DB>, ids: string[]) {
  const surveys = await db
    .selectFrom('surveys')
    .select(['id', 'questions'])
    .where('organizationId', 'in', ids)
    .where('status', '=', 'published')
    .execute()
  if (surveys.length === 0) return []
  const categories = new Map<string, Map<string, ListingKind>>()
  for (const s of surveys) {
    const byKey = new Map<string, ListingKind>()
    for (const q of s.questions as Question[])
      for (const o of q.options) if (o.category) byKey.set(`${q.id}\u0000${o.id}`, o.category)
    categories.set(s.id, byKey)
  }
  const responses = await db
    .selectFrom('surveyResponses')
    .select(['surveyId', 'answers', 'district'])
    .where(
      'surveyId',
      'in',
      surveys.map((s) => s.id),
    )
    .execute()
  const counts = new Map<string, { category: ListingKind; district: string; answers: number }>()
  for (const r of responses) {
    const byKey = categories.get(r.surveyId)
    if (!byKey || byKey.size === 0) continue
    // One respondent counts once per kind, however many options of that kind they chose.
    const asked = new Set<ListingKind>()
    for (const [questionId, value] of Object.entries(r.answers)) {
      const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
      for (const optionId of chosen) {
        const category = byKey.get(`${questionId}\u0000${optionId}`)
        if (category) asked.add(category)
      }
    }
    const district = r.district ?? '未填写'
    for (const category of asked) {
      const key = `${district}\u0000${category}`
      const c = counts.get(key) ?? { category, district, answers: 0 }
      c.answers += 1
      counts.set(key, c)
    }
  }
  return [...counts.values()]
}

/**
 * `GET /v1/overview/organizations/:id`: for the organization's admins (and moderators), figures across it
 * and every organization below it. Anyone else gets 404, as if there were nothing to see.
 */
export async function getOverview(
  deps: CommunityDeps,
  actor: Actor | null | undefined,
  organizationId: string,
): Promise<OrganizationOverview> {
  const role = actor?.roles[organizationId]
  if (!actor?.moderator && role !== 'owner' && role !== 'admin') throw notFound('organization', organizationId)
  const { db } = deps
  const now = deps.clock.now()
  const scope = await scopeOf(db, organizationId)
  const ids = scope.map((o) => o.id)

  const [listings, provided, requested, needs, activities, demand] = await Promise.all([
    db
      .selectFrom('overviewListings')
      .select(['kind', 'district', (eb) => eb.fn.countAll<string>().as('n')])
      .where('organizationId', 'in', ids)
      .where('published', '=', true)
      .groupBy(['kind', 'district'])
      .orderBy('district')
      .orderBy('kind')
      .execute(),
    bookingTotals(db, 'providerOrganizationId', ids),
    bookingTotals(db, 'requesterOrganizationId', ids),
    db
      .selectFrom('overviewNeeds')
      .select(['kind', 'district', 'openedAt'])
      .where('organizationId', 'in', ids)
      .where('open', '=', true)
      .execute(),
    activityTotals(db, ids, now),
    surveyDemandOf(db, ids),
  ])

  const byKind = kindCounts()
  for (const l of listings) byKind[l.kind] += Number(l.n)
  const needsByKind = kindCounts()
  for (const n of needs) needsByKind[n.kind] += 1
  const waits = needs.map((n) => (now.getTime() - n.openedAt.getTime()) / DAY)
  const districts = [...new Set([...needs.map((n) => n.district), ...demand.map((d) => d.district)])]
  const supply =
    districts.length === 0
      ? []
      : await db
          .selectFrom('overviewListings')
          .select(['district', 'kind', (eb) => eb.fn.countAll<string>().as('n')])
          .where('published', '=', true)
          .where('district', 'in', districts)
          .groupBy(['district', 'kind'])
          .execute()

  return {
    organizationId,
    name: scope[0]?.name ?? null,
    asOf: now.toISOString(),
    organizations: scope.map((o) => ({ id: o.id, name: o.name, depth: o.depth })),
    listings: {
      published: listings.reduce((sum, l) => sum + Number(l.n), 0),
      byKind,
      byDistrict: listings.map((l) => ({ district: l.district, kind: l.kind, count: Number(l.n) })),
    },
    bookings: {
      completedAsProvider: provided.count,
      hoursShared: provided.hours,
      completedAsRequester: requested.count,
      hoursUsed: requested.hours,
    },
    activities,
    needs: {
      open: needs.length,
      byKind: needsByKind,
      averageWaitDays: waits.length ? round1(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
      longestWaitDays: waits.length ? round1(Math.max(...waits)) : null,
    },
    // The viewer is beyond the organizations that ran the surveys: small cells are suppressed.
    surveyDemand: demand
      .map((d) => ({ ...d, answers: d.answers < 5 ? null : d.answers }))
      .sort((a, b) => a.district.localeCompare(b.district) || a.category.localeCompare(b.category)),
    unmetDemand: unmetDemand({
      needs,
      surveyDemand: demand,
      supply: supply.map((s) => ({ district: s.district, kind: s.kind, count: Number(s.n) })),
      suppress: true,
    }),
  }
}

async function bookingTotals(
  db: Kysely<DB>,
  side: 'providerOrganizationId' | 'requesterOrganizationId',
  ids: string[],
) {
  const row = await db
    .selectFrom('bookings')
    .select([
      (eb) => eb.fn.countAll<string>().as('n'),
      sql<string>`coalesce(sum(extract(epoch from (end_at - start_at))), 0) / 3600`.as('hours'),
    ])
    .where(side, 'in', ids)
    .where('status', '=', 'completed')
    .executeTakeFirstOrThrow()
  return { count: Number(row.n), hours: round1(Number(row.hours)) }
}

/** Activities that took place (published, ended) and the people checked in at them as attendees. */
async function activityTotals(db: Kysely<DB>, ids: string[], now: Date) {
  const held = db
    .selectFrom('activities')
    .select('id')
    .where('organizationId', 'in', ids)
    .where('status', '=', 'published')
    .where('endAt', '<=', now)
  const [activities, served] = await Promise.all([
    db
      .selectFrom(held.as('held'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('registrations')
      .select((eb) => eb.fn.count<string>('userId').distinct().as('n'))
      .where('activityId', 'in', held)
      .where('role', '=', 'attendee')
      .where('checkedInAt', 'is not', null)
      .executeTakeFirstOrThrow(),
  ])
  return { held: Number(activities.n), peopleServed: Number(served.n) }
}
