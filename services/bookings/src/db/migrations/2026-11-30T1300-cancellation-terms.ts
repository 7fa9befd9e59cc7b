import { type Kysely, sql } from 'kysely'

/**
 * The cancellation policy and its refund steps on each booking, fixed when it was made (like the price), so
 * a provider who hardens the listing's policy afterwards cannot cut a refund already agreed (issue 13).
 * Bookings made before this migration take the policy their listing has now: the best record there is.
 * Their steps stay unset and follow the policy's current table. With it, an index for the cap on a
 * member's upcoming bookings.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table bookings add column cancellation jsonb;
    update bookings b
    set cancellation = jsonb_build_object(
      'policy',
      coalesce((select r.rules ->> 'cancellationPolicy' from listing_replica r where r.listing_id = b.listing_id), 'flexible')
    );
    alter table bookings alter column cancellation set not null;

    -- The cap on a member's upcoming bookings counts them by member (create-booking's limits).
    create index bookings_requester_user_start on bookings (requester_user_id, start_at)
      where status in ('pending_payment', 'requested', 'confirmed');
  `.execute(db)
}
