import { type Kysely, sql } from 'kysely'

/**
 * The moderators' read of the ratings audit trail, newest first: an index for its keyset pages, and the
 * actions the API contract lists as the only ones the column may hold (an unknown action would fail the
 * response schema and break every page it falls on).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index rating_audit_at on rating_audit (at desc, id desc);
    alter table rating_audit add constraint rating_audit_action check (action in ('hide', 'unhide'));
  `.execute(db)
}
