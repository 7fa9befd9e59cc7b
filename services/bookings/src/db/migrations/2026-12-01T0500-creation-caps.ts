import { type Kysely, sql } from 'kysely'

/**
 * The caps on outstanding bookings, checked inside the creating statement itself (issue 17): a creation
 * with no other check to make is then one statement and needs no transaction. The locks must come before
 * the count, and a statement's snapshot is taken before it waits on a lock, so the count runs in a
 * VOLATILE function: each query in one takes a fresh snapshot (READ COMMITTED), so it sees every booking
 * committed by whoever held the locks before. The lock namespaces and statuses are the caller's, passed in,
 * so they stay defined in one place (booking-limits.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function creation_caps(p_member_lock int, p_organization_lock int, p_user text, p_organization text,
                                  p_listing text, p_now timestamptz, p_statuses text[])
    returns table (member bigint, organization_listing bigint)
    language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock(p_member_lock, hashtext(p_user)),
              pg_advisory_xact_lock(p_organization_lock, hashtext(p_organization));
      return query
        select count(*) filter (where b.requester_user_id = p_user::uuid),
               count(*) filter (where b.requester_organization_id = p_organization::uuid
                                  and b.listing_id = p_listing::uuid)
          from bookings b
         where b.status = any(p_statuses)
           and b.start_at > p_now
           and (b.requester_user_id = p_user::uuid
                or (b.requester_organization_id = p_organization::uuid and b.listing_id = p_listing::uuid));
    end $$;
  `.execute(db)
}
