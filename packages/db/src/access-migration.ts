import { type Kysely, type Migration, sql } from 'kysely'

/**
 * The id under which every service that authorizes listings' users records the access replica's tables.
 * Services shipped this DDL as their own `2026-11-30T1600-access` migration before it moved here; keeping
 * the id means a schema that already applied it skips it, and a fresh one gets the same tables.
 */
export const ACCESS_MIGRATION_ID = '2026-11-30T1600-access'

/**
 * Creates the access replica (organization memberships and moderator grants from the listings feed; see
 * {@link applyAccessEvent}) in the service's schema: roles are checked against it, not token claims. Text
 * ids, as the token's keys are text. Like every migration it is never edited after it lands: schemas that
 * applied it must keep matching those that apply it later; a change is a new migration.
 */
export async function createAccessReplica(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table access_organizations (
      id text primary key,
      members_version integer not null
    );
    create table access_members (
      organization_id text not null references access_organizations (id) on delete cascade,
      user_id text not null,
      role text not null check (role in ('owner', 'admin', 'member')),
      primary key (organization_id, user_id)
    );
    create index access_members_user_idx on access_members (user_id);
    create table access_users (
      user_id text primary key,
      moderator boolean not null,
      token_epoch integer not null,
      version integer not null
    );
  `.execute(db)
}

/** The access replica as a service migration, to list under {@link ACCESS_MIGRATION_ID}. */
export const accessMigration: Migration = { up: createAccessReplica }
