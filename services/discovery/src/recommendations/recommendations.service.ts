import type { ActivityHit, Actor, SearchHit } from '@commons/contracts'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { ActivityDocument } from '../indexing/documents.ts'
import { toActivityHit } from '../search/activities.service.ts'
import { anyOf, noneOf } from '../search/filters.ts'
import { HIGHLIGHT, type IndexedHit, toHit } from '../search/hits.ts'
import { guardSearch } from '../search/meili.ts'
import type { SearchDeps } from '../search/search.service.ts'
import { history, isPersonalised, listingFacts } from './recommendations.repository.ts'

/** A booking says more about a member's interests than a view. */
const BOOKING_WEIGHT = 3
const VIEW_WEIGHT = 1
const CANDIDATES = 200

type Weights = Record<string, number>
export interface Profile {
  kinds: Weights
  tags: Weights
  districts: Weights
}

/** The member's interest profile: kinds, tags and districts of what they viewed and booked, weighted. */
export async function profileOf(db: Kysely<DB>, userId: string) {
  const { views, bookings } = await history(db, userId)
  const facts = new Map(
    (await listingFacts(db, [...new Set([...views, ...bookings].map((e) => e.listingId))])).map((f) => [f.id, f]),
  )
  const profile: Profile = { kinds: {}, tags: {}, districts: {} }
  const add = (listingId: string, weight: number) => {
    const f = facts.get(listingId)
    if (!f) return
    profile.kinds[f.kind] = (profile.kinds[f.kind] ?? 0) + weight
    if (f.district) profile.districts[f.district] = (profile.districts[f.district] ?? 0) + weight
    for (const tag of f.tags) profile.tags[tag] = (profile.tags[tag] ?? 0) + weight
  }
  for (const v of views) add(v.listingId, VIEW_WEIGHT)
  for (const b of bookings) add(b.listingId, BOOKING_WEIGHT)
  return { profile, views, bookings }
}

const top = (weights: Weights, n: number) =>
  Object.entries(weights)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k]) => k)

/**
 * Published listings ranked by the member's profile, leaving out their own organizations' listings and
 * what they already booked. Without a profile (no history, or switched off): the most used and best rated.
 */
export async function recommend(deps: SearchDeps, actor: Actor, limit: number) {
  const ownOrgs = Object.keys(actor.roles)
  const exclude = ownOrgs.length > 0 ? [noneOf('organizationId', ownOrgs)] : []
  const personalised = await isPersonalised(deps.db, actor.userId)
  const empty: { profile: Profile; bookings: Array<{ listingId: string }> } = {
    profile: { kinds: {}, tags: {}, districts: {} },
    bookings: [],
  }
  const { profile, bookings } = personalised ? await profileOf(deps.db, actor.userId) : empty
  const basedOn = { kinds: top(profile.kinds, 3), tags: top(profile.tags, 8), districts: top(profile.districts, 3) }
  const hasProfile = basedOn.kinds.length > 0
  const index = deps.meili.search.index(deps.meili.listingsIndex)

  if (!hasProfile) {
    const res = await guardSearch(() =>
      index.search<IndexedHit>('', {
        filter: exclude,
        sort: ['popularity:desc', 'ratingAverage:desc'],
        limit,
        ...HIGHLIGHT,
      }),
    )
    const activities = await upcomingActivities(deps, [], ownOrgs).catch(() => [])
    return { items: res.hits.map((h) => toHit(h)), activities, personalised: false, basedOn }
  }

  const booked = new Set(bookings.map((b) => b.listingId))
  const interest = [anyOf('kind', basedOn.kinds)]
  if (basedOn.districts.length) interest.push(anyOf('district', basedOn.districts))
  if (basedOn.tags.length) interest.push(anyOf('tags', basedOn.tags))
  const res = await guardSearch(() =>
    index.search<IndexedHit>('', {
      // An inner array is OR-ed: listings that share a kind, a district or a tag with the profile.
      filter: [...exclude, interest] as unknown as string[],
      sort: ['ratingAverage:desc'],
      limit: CANDIDATES,
      ...HIGHLIGHT,
    }),
  )
  const score = (h: IndexedHit) =>
    (profile.kinds[h.kind] ?? 0) +
    (profile.districts[h.district] ?? 0) +
    h.tags.reduce((sum, tag) => sum + (profile.tags[tag] ?? 0), 0) +
    h.ratingAverage / 5 +
    Math.log1p(h.popularity) / 4
  const items: SearchHit[] = res.hits
    .filter((h) => !booked.has(h.id))
    .map((h) => ({ h, s: score(h) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, limit)
    .map(({ h }) => toHit(h))
  // Listings are what this answer is for: activities that cannot be had right now are left out, not an error.
  const activities = await upcomingActivities(deps, basedOn.districts, ownOrgs).catch(() => [])
  return { items, activities, personalised: true, basedOn }
}

/** Activities recommended beside listings. */
const ACTIVITIES = 4

/**
 * Upcoming activities still open for sign-up, soonest first: in the member's districts when they have any,
 * topped up from anywhere, leaving out their own organizations' (they host those, they are not invited).
 */
async function upcomingActivities(deps: SearchDeps, districts: string[], ownOrgs: string[]): Promise<ActivityHit[]> {
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000)
  const base = [`start > ${nowSeconds}`, ...(ownOrgs.length > 0 ? [noneOf('organizationId', ownOrgs)] : [])]
  const index = deps.meili.search.index(deps.meili.activitiesIndex)
  const query = (filter: string[]) =>
    guardSearch(() => index.search<ActivityDocument>('', { filter, sort: ['start:asc'], limit: ACTIVITIES }))
  const near = districts.length > 0 ? (await query([...base, anyOf('district', districts)])).hits : []
  const rest =
    near.length < ACTIVITIES
      ? (
          await query([
            ...base,
            ...(near.length > 0
              ? [
                  noneOf(
                    'id',
                    near.map((h) => h.id),
                  ),
                ]
              : []),
          ])
        ).hits
      : []
  return [...near, ...rest].slice(0, ACTIVITIES).map(toActivityHit)
}
