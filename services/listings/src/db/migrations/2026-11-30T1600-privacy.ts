import { type Kysely, sql } from 'kysely'

/**
 * Personal information (PIPL): which notice version each person accepted and when, their optional consents
 * as an append-only record, requests to close an account with their cooling-off period, and data exports.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notice_acceptances (
      user_id uuid not null references users (id) on delete cascade,
      notice_version text not null,
      accepted_at timestamptz not null,
      primary key (user_id, notice_version)
    );
    -- Append-only: the latest row per purpose is the person's current choice; earlier ones are the proof.
    create table consent_records (
      id bigserial primary key,
      user_id uuid not null references users (id) on delete cascade,
      purpose text not null check (purpose in ('personalisedRecommendations', 'emailNotifications')),
      granted boolean not null,
      recorded_at timestamptz not null
    );
    create index consent_records_user on consent_records (user_id, purpose, id desc);

    -- One open request per account; a cancelled or completed one keeps its row until the next request.
    create table deletion_requests (
      user_id uuid primary key references users (id) on delete cascade,
      requested_at timestamptz not null,
      closes_at timestamptz not null,
      cancelled_at timestamptz,
      closed_at timestamptz
    );
    alter table users add column closed_at timestamptz;

    create table data_exports (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      status text not null default 'pending' check (status in ('pending', 'ready', 'failed')),
      requested_at timestamptz not null,
      ready_at timestamptz,
      expires_at timestamptz,
      archive jsonb
    );
    create index data_exports_user on data_exports (user_id, requested_at desc);
  `.execute(db)
}
