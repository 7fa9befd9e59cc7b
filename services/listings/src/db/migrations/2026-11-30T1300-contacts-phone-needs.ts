import { type Kysely, sql } from 'kysely'

/**
 * Private contacts of organizations and listings, sign-in by mobile number with one-time codes, and the
 * idempotency keys of posted needs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Kept apart from organizations and listings so no public read (selectAll of those tables) can carry
    -- them: they leave this service only on private.* feed events, for bookings.
    create table organization_contacts (
      organization_id uuid primary key references organizations (id) on delete cascade,
      contact_person text not null,
      mobile text not null check (mobile ~ '^1[3-9][0-9]{9}$'),
      wechat_id text,
      version integer not null default 1,
      updated_at timestamptz not null default now()
    );
    create table listing_private_details (
      listing_id uuid primary key references listings (id) on delete cascade,
      arrival_notes text not null default '',
      payment_terms text not null default '',
      version integer not null default 1,
      updated_at timestamptz not null default now()
    );

    -- A verified mobile number signs its account in with a code instead of the password.
    alter table users add column phone text check (phone ~ '^1[3-9][0-9]{9}$');
    create unique index users_phone_key on users (phone) where phone is not null;

    -- One row per code sent. Only a salted hash is kept; a code works once, for minutes, for a few tries.
    create table phone_codes (
      id uuid primary key,
      phone text not null,
      code_hash bytea not null,
      salt bytea not null,
      expires_at timestamptz not null,
      attempts integer not null default 0,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index phone_codes_phone_idx on phone_codes (phone, created_at desc);

    -- A need posted again with the same Idempotency-Key (a double tap, a retry) answers the first need.
    create table need_requests (
      user_id uuid not null references users (id) on delete cascade,
      key text not null,
      body_hash bytea not null,
      need_id uuid not null references needs (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (user_id, key)
    );
  `.execute(db)
}
