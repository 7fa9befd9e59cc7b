import { type Kysely, sql } from 'kysely'

/**
 * What search was last told of each scorecard (badge, 整改中), so the recheck announces a scorecard only
 * when its marks moved because of other subjects' evaluations. Reports of evaluations gain a resolution:
 * a moderator dismisses them (audited) or hides the evaluation, and either takes them off the queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table scorecard_versions
      add column badge boolean not null default false,
      add column rectifying boolean not null default false;
    alter table evaluation_reports add column resolved_at timestamptz;
    create index evaluation_reports_open_idx on evaluation_reports (created_at) where resolved_at is null;
  `.execute(db)
}
