import { type Kysely, sql } from 'kysely'

/**
 * The listing's title on each booking, fixed when it was made (like the price): a booking shows what was
 * booked, whatever the listing is called later.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table bookings add column listing_title text;

    -- Every booking was made from its listing's replica row, and replica rows are never deleted; the
    -- fallback only keeps the migration from failing on a row that broke that rule by hand.
    update bookings b
    set listing_title = coalesce(
      (select r.title from listing_replica r where r.listing_id = b.listing_id),
      ''
    );

    alter table bookings alter column listing_title set not null;

    -- A replayed Idempotency-Key answers its stored response, which has to be a Booking as it is now.
    update idempotency_keys k
    set response = k.response || jsonb_build_object('listingTitle', b.listing_title)
    from bookings b
    where b.id::text = k.response ->> 'id' and not k.response ? 'listingTitle';
  `.execute(db)
}
