import { type Kysely, sql } from 'kysely'

/** Private calendar feeds of organizations: a token's generation; a new token revokes the older ones. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calendar_feeds (
      organization_id uuid primary key,
      generation integer not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db)
}
