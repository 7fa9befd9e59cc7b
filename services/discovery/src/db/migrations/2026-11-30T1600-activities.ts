import { type Kysely, sql } from 'kysely'

/**
 * What discovery keeps from the community feed: the latest public snapshot of every activity (cancelled
 * ones too, as tombstones, so an older snapshot replayed later never brings one back) and the scorecard
 * facts search ranks organizations by (the top-decile badge, the 整改中 flag).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table activities (
      id uuid primary key,
      version integer not null,
      -- Published and not cancelled: the only ones searchable. Ended ones drop out by their end time.
      listed boolean not null,
      organization_id uuid not null,
      snapshot jsonb not null,
      city text,
      updated_at timestamptz not null default now()
    );
    create index activities_organization_idx on activities (organization_id);

    create table organization_scorecards (
      id uuid primary key,
      version integer not null,
      badge boolean not null,
      rectifying boolean not null
    );
  `.execute(db)
}
