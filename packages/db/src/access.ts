import {
  AccountAccessPayload,
  type Actor,
  type FeedEvent,
  LISTINGS_EVENTS,
  OrganizationMembersPayload,
  type OrgRole,
} from '@commons/contracts'
import { unauthorized } from '@commons/service-kit'
import { type QueryExecutorProvider, sql } from 'kysely'
import type { AnyTransaction } from './outbox.ts'

/**
 * The access replica: every service but listings keeps, in its own schema, the memberships and moderator
 * grants listings publishes (`organization.members`, `account.access`), and authorizes against them rather
 * than the token's claims. The tables (`access_organizations`, `access_members`, `access_users`) are
 * created by {@link accessMigration}, which each such service lists among its migrations.
 */
export const ACCESS_EVENT_TYPES: readonly string[] = [
  LISTINGS_EVENTS.organizationMembers,
  LISTINGS_EVENTS.accountAccess,
]

/** A pool or a transaction of any service's database: the replica is read and written with raw SQL. */
type Executor = QueryExecutorProvider

const exec = (db: Executor) => db

/**
 * Applies one listings-feed event to the access replica (other types are ignored). Idempotent by version:
 * delivery is at least once, and a replayed snapshot must not bring a removed member back.
 */
export async function applyAccessEvent(trx: AnyTransaction, event: FeedEvent): Promise<void> {
  const db = exec(trx as unknown as Executor)
  if (event.type === LISTINGS_EVENTS.organizationMembers) {
    const p = OrganizationMembersPayload.parse(event.payload)
    const updated = await sql<{ id: string }>`
      insert into access_organizations (id, members_version) values (${p.organizationId}, ${event.version})
      on conflict (id) do update set members_version = excluded.members_version
        where access_organizations.members_version < excluded.members_version
      returning id`.execute(db)
    if (updated.rows.length === 0) return
    await sql`delete from access_members where organization_id = ${p.organizationId}`.execute(db)
    for (const m of p.members) {
      await sql`insert into access_members (organization_id, user_id, role)
        values (${p.organizationId}, ${m.userId}, ${m.role})`.execute(db)
    }
  } else if (event.type === LISTINGS_EVENTS.accountAccess) {
    const p = AccountAccessPayload.parse(event.payload)
    await sql`
      insert into access_users (user_id, moderator, token_epoch, version)
      values (${p.userId}, ${p.moderator}, ${p.tokenEpoch}, ${event.version})
      on conflict (user_id) do update
        set moderator = excluded.moderator, token_epoch = excluded.token_epoch, version = excluded.version
        where access_users.version < excluded.version`.execute(db)
  }
}

/** What the replica knows of one user: their account row and every organization the token or it names. */
interface AccessRow {
  kind: 'user' | 'org'
  id: string
  version: number
  role: OrgRole | null
  moderator: boolean | null
  epoch: number | null
}

/**
 * The actor with roles and moderator flag from current state. Per organization, the newer of the replica
 * and the token wins: a token signed after the replica's last snapshot (a member who joined a moment ago,
 * while the feed is still on its way) is believed; once the replica holds a snapshot as new as the token or
 * newer, the token's claim no longer counts, so a removed admin loses power as soon as the removal arrives.
 * A token of an epoch the user has since left (logout) is refused with 401 `token_revoked`.
 * One statement: it runs on every signed-in request.
 */
export async function resolveActor(db: Executor, actor: Actor): Promise<Actor> {
  const token = actor.tokenState ?? { epoch: 0, accessVersion: 0, orgVersions: {} }
  const named = [...new Set([...Object.keys(actor.roles), ...Object.keys(token.orgVersions)])]
  const { rows } = await sql<AccessRow>`
    select 'user' as kind, user_id as id, version, null as role, moderator, token_epoch as epoch
      from access_users where user_id = ${actor.userId}
    union all
    select 'org', o.id, o.members_version, m.role, null, null
      from access_organizations o
      left join access_members m on m.organization_id = o.id and m.user_id = ${actor.userId}
      where m.user_id is not null or o.id = any(${named}::text[])`.execute(exec(db))
  const user = rows.find((r) => r.kind === 'user')
  if (user && (user.epoch ?? 0) > token.epoch) {
    throw unauthorized('This access token was revoked (signed out); refresh or sign in again.', 'token_revoked')
  }
  const replica = new Map(rows.filter((r) => r.kind === 'org').map((r) => [r.id, r]))
  const roles: Record<string, OrgRole> = {}
  for (const org of new Set([...named, ...replica.keys()])) {
    const known = replica.get(org)
    const role = (token.orgVersions[org] ?? 0) > (known?.version ?? 0) ? actor.roles[org] : (known?.role ?? undefined)
    if (role) roles[org] = role
  }
  const moderator = token.accessVersion > (user?.version ?? 0) ? actor.moderator : (user?.moderator ?? false)
  return { ...actor, roles, moderator }
}

/**
 * The replica's view of one user in one organization, for checks without a token (calendar links): their
 * role (if any) and the version of the snapshot it comes from (0 when the replica has none yet).
 */
export async function replicaMembership(
  db: Executor,
  userId: string,
  organizationId: string,
): Promise<{ version: number; role: OrgRole | undefined }> {
  const { rows } = await sql<{ version: number; role: OrgRole | null }>`
    select o.members_version as version, m.role
      from access_organizations o
      left join access_members m on m.organization_id = o.id and m.user_id = ${userId}
      where o.id = ${organizationId}`.execute(exec(db))
  return { version: rows[0]?.version ?? 0, role: rows[0]?.role ?? undefined }
}
