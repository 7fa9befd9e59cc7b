import { type Kysely, sql } from 'kysely'

/**
 * Versions that let other services authorize from current state (their access replicas) and refuse
 * revoked tokens: the user's token epoch (raised by logout) and access version (moderator grants, revokes,
 * logouts), and each organization's membership version. Organizations and moderators from before their
 * events existed get one now, so replicas that start from the feed know them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users
      add column token_epoch integer not null default 0,
      add column access_version integer not null default 0;
    alter table organizations add column members_version integer not null default 0;

    update organizations o set members_version = (
      select count(*) from events e where e.type = 'organization.members' and e.entity_id = o.id::text
    );
    with missing as (
      update organizations set members_version = 1 where members_version = 0 returning id
    )
    insert into events (type, entity_id, version, payload)
    select 'organization.members', m.id::text, 1, jsonb_build_object(
      'organizationId', m.id,
      'members', coalesce((
        select jsonb_agg(jsonb_build_object('userId', ms.user_id, 'displayName', u.display_name, 'role', ms.role))
        from memberships ms join users u on u.id = ms.user_id where ms.organization_id = m.id
      ), '[]'::jsonb))
    from missing m;

    with moderators as (
      update users set access_version = 1 where moderator returning id
    )
    insert into events (type, entity_id, version, payload)
    select 'account.access', id::text, 1,
      jsonb_build_object('userId', id, 'moderator', true, 'tokenEpoch', 0)
    from moderators;
  `.execute(db)
}
