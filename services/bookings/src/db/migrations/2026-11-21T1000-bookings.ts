import { type Kysely, sql } from 'kysely'

/** Listing replica, bookings (with the no-overlap guard), audit, idempotency keys, timers and payments. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // btree_gist lets one exclusion constraint combine `listing_id with =` and `range with &&`.
  await sql`create extension if not exists btree_gist with schema public`.execute(db)
  await sql`
    -- What bookings needs of each listing, kept from the listings feed (never read from listings directly).
    create table listing_replica (
      listing_id uuid primary key,
      organization_id uuid not null,
      organization_name text not null,
      kind text not null,
      status text not null,
      version integer not null,
      title text not null,
      capacity integer,
      pricing jsonb not null,
      rules jsonb not null,
      availability jsonb not null,
      updated_at timestamptz not null default now()
    );

    create table bookings (
      id uuid primary key,
      listing_id uuid not null,
      listing_kind text not null,
      provider_organization_id uuid not null,
      requester_organization_id uuid not null,
      requester_user_id uuid not null,
      status text not null,
      start_at timestamptz not null,
      end_at timestamptz not null,
      buffer_minutes integer not null,
      -- end_at + buffer, computed by the application: timestamptz + interval is not immutable, so it
      -- cannot be a generated column. Storing [start, end + buffer) per booking keeps any two bookings at
      -- least one buffer apart.
      busy_until timestamptz not null,
      attendees integer not null,
      purpose text not null,
      price jsonb not null,
      payment_provider text not null,
      payment_status text not null,
      -- Minor units of the charge given back on cancellation (by the listing's policy).
      refunded_amount integer not null default 0,
      -- Minor units of the deposit kept for damage the provider reported within 48 h of the end.
      deposit_retained integer not null default 0,
      reason text,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint bookings_window check (start_at < end_at and busy_until >= end_at),
      constraint bookings_no_overlap exclude using gist (
        listing_id with =,
        tstzrange(start_at, busy_until, '[)') with &&
      ) where (status in ('pending_payment', 'requested', 'confirmed', 'completed', 'no_show'))
    );
    create index bookings_requester on bookings (requester_organization_id, id);
    create index bookings_provider on bookings (provider_organization_id, id);
    create index bookings_listing_start on bookings (listing_id, start_at);

    -- Who moved a booking, from what to what, and whether a moderator overrode the usual permissions.
    create table booking_audit (
      id bigint generated always as identity primary key,
      booking_id uuid not null references bookings (id),
      actor_user_id uuid,
      action text not null,
      from_status text,
      to_status text not null,
      reason text,
      moderator_override boolean not null default false,
      at timestamptz not null
    );
    create index booking_audit_booking on booking_audit (booking_id, id);

    create table idempotency_keys (
      user_id uuid not null,
      key text not null,
      request_hash text not null,
      status_code integer not null,
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (user_id, key)
    );

    -- The timer queue: due work per booking, taken with FOR UPDATE SKIP LOCKED and marked done in the same
    -- transaction as its effect, so a timer runs once however many replicas poll and survives restarts.
    create table timers (
      id bigint generated always as identity primary key,
      booking_id uuid not null references bookings (id),
      kind text not null,
      run_at timestamptz not null,
      done_at timestamptz,
      attempts integer not null default 0,
      last_error text,
      unique (booking_id, kind)
    );
    create index timers_due on timers (run_at) where done_at is null;

    create table payments (
      id uuid primary key,
      booking_id uuid not null references bookings (id),
      purpose text not null,
      provider text not null,
      status text not null,
      amount integer not null,
      currency text not null,
      refunded_amount integer not null default 0,
      external_id text,
      method text,
      reference text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (booking_id, purpose)
    );

    create table webhook_events (
      event_id text primary key,
      type text not null,
      received_at timestamptz not null default now()
    );
  `.execute(db)
}
