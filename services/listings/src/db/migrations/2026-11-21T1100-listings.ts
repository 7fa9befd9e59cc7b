import { type Kysely, sql } from 'kysely'

/** Listings, needs and the moderation audit log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The client-written fields of a listing (ListingFields: common and kind-specific) are one jsonb
    -- document, validated as a whole by the contracts' zod schema before every write. Three kinds with a
    -- dozen fields each would make a wide, mostly-null table whose columns trail every contract change;
    -- nothing queries inside the document, since search runs in discovery. What this service filters
    -- and sorts on (organization, kind, status, place, title) is copied into columns in the same write.
    create table listings (
      id uuid primary key,
      organization_id uuid not null references organizations (id) on delete restrict,
      kind text not null check (kind in ('venue', 'expertise', 'volunteer_time')),
      status text not null default 'draft'
        check (status in ('draft', 'pending_review', 'published', 'paused', 'archived')),
      title text not null,
      city text not null,
      district text not null,
      details jsonb not null,
      rejection_reason text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      published_at timestamptz,
      constraint listings_kind_matches check (details ->> 'kind' = kind)
    );
    create index listings_organization_idx on listings (organization_id, id);
    create index listings_status_idx on listings (status, id);

    -- Needs keep the same split: the NeedFields document plus the columns the board filters on.
    create table needs (
      id uuid primary key,
      organization_id uuid not null references organizations (id) on delete restrict,
      kind text not null check (kind in ('venue', 'expertise', 'volunteer_time')),
      status text not null default 'open' check (status in ('open', 'closed')),
      city text not null,
      district text not null,
      details jsonb not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      closed_at timestamptz
    );
    create index needs_open_idx on needs (id) where status = 'open';
    create index needs_organization_idx on needs (organization_id, id);

    -- Every moderation action, written in the transaction of the action itself. actor_id is null for
    -- actions taken by an operator on the command line (granting and revoking moderators).
    create table audit_log (
      id uuid primary key,
      actor_id uuid references users (id) on delete set null,
      action text not null,
      object_type text not null,
      object_id uuid not null,
      reason text,
      created_at timestamptz not null default now()
    );
    create index audit_log_object_idx on audit_log (object_type, object_id);
  `.execute(db)
}
