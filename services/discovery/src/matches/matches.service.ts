import type { Listing, Need, SearchHit } from '@commons/contracts'
import { type FitNeed, listingFitsNeed } from '@commons/scheduling'
import { notFound } from '@commons/service-kit'
import { anyOf, num, quote, windowFilters } from '../search/filters.ts'
import { HIGHLIGHT, type IndexedHit, toHit } from '../search/hits.ts'
import { guardSearch } from '../search/meili.ts'
import { availableIds, type SearchDeps } from '../search/search.service.ts'
import { busyNear, publishedListings } from './matches.repository.ts'

const MATCHES = 20
const CANDIDATES = 200

/**
 * Of `ids`, in their order, the listings that fit the need by the one shared rule (`listingFitsNeed`, which
 * messaging's "a need fits your listings" notification applies too). The index filters narrow the
 * candidates; this decides.
 */
async function fitting(deps: SearchDeps, need: FitNeed, ids: readonly string[]): Promise<string[]> {
  const start = new Date(need.window.start)
  const end = new Date(need.window.end)
  const [listings, busy] = await Promise.all([publishedListings(deps.db, ids), busyNear(deps.db, ids, start, end)])
  const now = deps.clock.now()
  return ids.filter((id) => {
    const listing = listings.get(id)
    return listing !== undefined && listingFitsNeed(listing, need, busy.get(id) ?? [], now)
  })
}

/**
 * Published listings that fit an open need: its kind and district, room for its attendees, within its
 * budget (free ones only when it has none), and bookable for its whole window. Best rated first.
 */
export async function listingsForNeed(deps: SearchDeps, needId: string): Promise<{ need: Need; items: SearchHit[] }> {
  const row = await deps.db
    .selectFrom('needs')
    .select('need')
    .where('id', '=', needId)
    .where('open', '=', true)
    .executeTakeFirst()
  if (!row) throw notFound('need', needId)
  const need = row.need as unknown as Need
  const filter = [`kind = ${quote(need.kind)}`, `district = ${quote(need.district)}`, `city = ${quote(need.city)}`]
  if (need.attendees !== undefined && need.kind !== 'volunteer_time') filter.push(`capacity >= ${num(need.attendees)}`)
  filter.push(need.budget ? `price <= ${num(need.budget.amount)}` : `pricingModel = "free"`)
  const start = new Date(need.window.start)
  const end = new Date(need.window.end)
  const candidates = await availableIds(deps, {
    q: '',
    filter: [...filter, ...windowFilters(start, end, deps.clock.now())],
    sort: ['ratingAverage:desc', 'popularity:desc'],
    limit: CANDIDATES,
  })
  const ids = (await fitting(deps, need, candidates)).slice(0, MATCHES)
  if (ids.length === 0) return { need, items: [] }
  const res = await guardSearch(() =>
    deps.meili.search.index(deps.meili.listingsIndex).search<IndexedHit>('', {
      filter: [anyOf('id', ids)],
      limit: ids.length,
      ...HIGHLIGHT,
    }),
  )
  const byId = new Map(res.hits.map((h) => [h.id, h]))
  return { need, items: ids.flatMap((id) => (byId.has(id) ? [toHit(byId.get(id)!)] : [])) }
}

/**
 * Open needs a published listing fits: same kind and district, attendees within its capacity, a budget
 * that covers its price (any need when it is free), a window still ahead in which the listing is bookable.
 * Soonest first.
 */
export async function needsForListing(
  deps: SearchDeps,
  listingId: string,
): Promise<{ listingId: string; items: Need[] }> {
  const row = await deps.db
    .selectFrom('listings')
    .select('snapshot')
    .where('id', '=', listingId)
    .where('published', '=', true)
    .executeTakeFirst()
  if (!row?.snapshot) throw notFound('listing', listingId)
  const listing = row.snapshot as unknown as Listing
  const now = deps.clock.now()
  const filter = [
    `kind = ${quote(listing.kind)}`,
    `district = ${quote(listing.location.district)}`,
    `city = ${quote(listing.location.city)}`,
    `windowStart > ${num(Math.floor(now.getTime() / 1000))}`,
  ]
  if (listing.kind !== 'volunteer_time' && listing.capacity !== undefined) {
    filter.push(`attendees <= ${num(listing.capacity)}`)
  }
  if (listing.pricing.model === 'fee') filter.push(`budgetAmount >= ${num(listing.pricing.price.amount)}`)
  const res = await guardSearch(() =>
    deps.meili.search.index(deps.meili.needsIndex).search<{ id: string }>('', {
      filter,
      sort: ['windowStart:asc'],
      limit: CANDIDATES,
      attributesToRetrieve: ['id'],
    }),
  )
  const ids = res.hits.map((h) => h.id)
  if (ids.length === 0) return { listingId, items: [] }
  const needs = await deps.db
    .selectFrom('needs')
    .select('need')
    .where('id', 'in', ids)
    .where('open', '=', true)
    .execute()
  const byId = new Map(needs.map((n) => [(n.need as unknown as Need).id, n.need as unknown as Need]))
  const items: Need[] = []
  for (const id of ids) {
    const need = byId.get(id)
    if (!need) continue
    if ((await fitting(deps, need, [listingId])).length > 0) items.push(need)
    if (items.length >= MATCHES) break
  }
  return { listingId, items }
}
