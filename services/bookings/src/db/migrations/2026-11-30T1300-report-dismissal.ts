import { type Kysely, sql } from 'kysely'

/** Moderators may dismiss the reports against a rating, audited like a hide: one more allowed action. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table rating_audit drop constraint rating_audit_action;
    alter table rating_audit add constraint rating_audit_action check (action in ('hide', 'unhide', 'dismiss'));
  `.execute(db)
}
