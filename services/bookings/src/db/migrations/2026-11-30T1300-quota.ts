import { type Kysely, sql } from 'kysely'

/** Replicas of the organization hierarchy and parents' quotas (from the listings feed), for the quota check. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Confirmed parent links only; parent_id is null once a link ended (the row keeps the version).
    create table organization_parents (
      organization_id uuid primary key,
      parent_id uuid,
      version integer not null
    );
    create table organization_quotas (
      organization_id uuid primary key,
      quotas jsonb not null,
      version integer not null
    );
    -- The quota sums a requester's hours at one provider's listings in a month.
    create index bookings_requester_provider_start
      on bookings (requester_organization_id, provider_organization_id, start_at);
  `.execute(db)
}
