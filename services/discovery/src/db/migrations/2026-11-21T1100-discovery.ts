import { type Kysely, sql } from 'kysely'

/**
 * What discovery keeps from the listings and bookings feeds: the latest snapshot of every listing (also
 * withdrawn ones, as tombstones, so an older snapshot replayed later never brings a listing back), the
 * organizations' public facts, open needs, bookings (busy ranges, popularity, members' history),
 * reputation, members' views and settings, and the state of a running reindex.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table listings (
      id uuid primary key,
      version integer not null,
      published boolean not null,
      organization_id uuid not null,
      -- The full Listing as the last listing.published carried it; null once withdrawn.
      snapshot jsonb,
      organization jsonb,
      updated_at timestamptz not null default now()
    );
    create index listings_organization_idx on listings (organization_id);

    create table organizations (
      id uuid primary key,
      version integer not null,
      name text not null,
      kind text not null,
      verified boolean not null
    );

    create table needs (
      id uuid primary key,
      version integer not null,
      open boolean not null,
      need jsonb not null,
      updated_at timestamptz not null default now()
    );

    create table bookings (
      id uuid primary key,
      version integer not null,
      listing_id uuid not null,
      listing_kind text not null,
      requester_organization_id uuid not null,
      requester_user_id uuid not null,
      status text not null,
      holds_slot boolean not null,
      -- [start, end) without the buffer: the availability check adds the listing's buffer itself.
      busy tstzrange not null,
      created_at timestamptz not null default now()
    );
    create index bookings_busy_idx on bookings (listing_id) include (busy) where holds_slot;
    create index bookings_requester_idx on bookings (requester_user_id, created_at desc);

    create table reputations (
      subject text not null,
      id uuid not null,
      version integer not null,
      average double precision not null,
      count integer not null,
      primary key (subject, id)
    );

    create table views (
      id bigint generated always as identity primary key,
      user_id uuid not null,
      listing_id uuid not null,
      viewed_at timestamptz not null default now()
    );
    create index views_user_idx on views (user_id, viewed_at desc);

    create table member_settings (
      user_id uuid primary key,
      personalised boolean not null default true,
      -- Bookings made before this are left out of the member's profile (they stay as busy ranges).
      history_cleared_at timestamptz
    );

    create table reindex_state (
      name text primary key,
      building_uid text,
      started_at timestamptz,
      heartbeat_at timestamptz,
      finished_at timestamptz,
      documents integer not null default 0,
      error text
    );
  `.execute(db)
}
