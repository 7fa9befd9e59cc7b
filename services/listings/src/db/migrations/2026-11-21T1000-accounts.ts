import { type Kysely, sql } from 'kysely'

/** Users, refresh tokens, token signing keys, organizations and memberships. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key,
      email text not null,
      password_hash text not null,
      display_name text not null,
      moderator boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint users_email_normalized check (email = lower(btrim(email)))
    );
    create unique index users_email_key on users (email);

    -- One row per issued refresh token; only the hash is kept. A family is one login's chain of rotations:
    -- presenting a token that was already used revokes the whole family (RFC 9700 §4.14.2).
    create table refresh_tokens (
      id uuid primary key,
      family_id uuid not null,
      user_id uuid not null references users (id) on delete cascade,
      token_hash bytea not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index refresh_tokens_hash_key on refresh_tokens (token_hash);
    create index refresh_tokens_family_idx on refresh_tokens (family_id);

    -- Ed25519 keys that sign access tokens. Kept so restarts and replicas share them; retired keys stay
    -- published in the JWKS until every token they signed has expired.
    create table signing_keys (
      kid text primary key,
      private_jwk jsonb not null,
      public_jwk jsonb not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    );

    create table organizations (
      id uuid primary key,
      name text not null,
      kind text not null,
      district text not null,
      city text not null,
      description text not null default '',
      verified boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table memberships (
      organization_id uuid not null references organizations (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('owner', 'admin', 'member')),
      created_at timestamptz not null default now(),
      primary key (organization_id, user_id)
    );
    create index memberships_user_idx on memberships (user_id);
  `.execute(db)
}
