import { type Kysely, sql } from 'kysely'

/**
 * The access replica (organization memberships and moderator grants from the listings feed; see
 * `resolveActor` in @commons/db): roles are checked against it, not token claims. The same DDL lands in
 * every service that authorizes listings' users; text ids, as the token's keys are text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
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
