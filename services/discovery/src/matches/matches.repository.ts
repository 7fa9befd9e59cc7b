import type { Listing } from '@commons/contracts'
import type { Interval } from '@commons/scheduling'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

/** The snapshots of the published listings among `ids`. */
export async function publishedListings(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, Listing>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('listings')
    .select(['id', 'snapshot'])
    .where('id', 'in', [...ids])
    .where('published', '=', true)
    .execute()
  return new Map(rows.flatMap((r) => (r.snapshot ? [[r.id, r.snapshot as unknown as Listing]] : [])))
}

/**
 * Slot-holding bookings of the listings near [start, end), without buffers, by listing. Widened by a day:
 * a listing's own buffer (at most 4 h) extends the window before the rule compares.
 */
export async function busyNear(
  db: Kysely<DB>,
  ids: readonly string[],
  start: Date,
  end: Date,
): Promise<Map<string, Interval[]>> {
  const byListing = new Map<string, Interval[]>()
  if (ids.length === 0) return byListing
  const rows = await db
    .selectFrom('bookings')
    .select(['listingId', sql<Date>`lower(busy)`.as('start'), sql<Date>`upper(busy)`.as('end')])
    .where('listingId', 'in', [...ids])
    .where('holdsSlot', '=', true)
    .where(
      sql<boolean>`busy && tstzrange(${new Date(start.getTime() - 86_400_000)}, ${new Date(end.getTime() + 86_400_000)})`,
    )
    .execute()
  for (const r of rows)
    byListing.set(r.listingId, [...(byListing.get(r.listingId) ?? []), { start: r.start, end: r.end }])
  return byListing
}
