import { type Kysely, sql } from 'kysely'

/**
 * What the "a need fits your listings" rule reads of a listing (the published snapshot: place, capacity,
 * price, opening hours and booking rules), and the bookings of a listing by time, its busy ranges. Listings
 * replicated before this have no snapshot and notify again once their next event brings one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table listings add column snapshot jsonb;
    create index bookings_listing on bookings (listing_id, start_at);
  `.execute(db)
}
