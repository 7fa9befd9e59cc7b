import type { Actor, ListingKind, OrganizationOverview, Question } from '@commons/contracts'
import { notFound } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import {
  activityTotals,
  answersOfSurveys,
  bookingTotals,
  openNeedsOf,
  publishedListingsOf,
  publishedSurveysOf,
  scopeOf,
  supplyIn,
} from './overview.repository.ts'
import { unmetDemand } from './unmet-demand.ts'

const DAY = 86_400_000
const round1 = (n: number) => Math.round(n * 10) / 10
const kindCounts = () => ({ venue: 0, expertise: 0, volunteer_time: 0 })

/** Survey answers asking for a kind of resource (options with a category), by the respondent's district. */
async function surveyDemandOf(db: Kysely<DB>, ids: string[]) {
  const surveys = await publishedSurveysOf(db, ids)
  if (surveys.length === 0) return []
  const categories = new Map<string, Map<string, ListingKind>>()
  for (const s of surveys) {
    const byKey = new Map<string, ListingKind>()
    for (const q of s.questions as Question[])
      for (const o of q.options) if (o.category) byKey.set(`${q.id}\u0000${o.id}`, o.category)
    categories.set(s.id, byKey)
  }
  const responses = await answersOfSurveys(
    db,
    surveys.map((s) => s.id),
  )
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
    publishedListingsOf(db, ids),
    bookingTotals(db, 'providerOrganizationId', ids),
    bookingTotals(db, 'requesterOrganizationId', ids),
    openNeedsOf(db, ids),
    activityTotals(db, ids, now),
    surveyDemandOf(db, ids),
  ])

  const byKind = kindCounts()
  for (const l of listings) byKind[l.kind] += Number(l.n)
  const needsByKind = kindCounts()
  for (const n of needs) needsByKind[n.kind] += 1
  const waits = needs.map((n) => (now.getTime() - n.openedAt.getTime()) / DAY)
  const districts = [...new Set([...needs.map((n) => n.district), ...demand.map((d) => d.district)])]
  const supply = districts.length === 0 ? [] : await supplyIn(db, districts)

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
      hoursShared: round1(provided.hours),
      completedAsRequester: requested.count,
      hoursUsed: round1(requested.hours),
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
