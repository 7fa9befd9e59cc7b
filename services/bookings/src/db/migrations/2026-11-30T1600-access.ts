import { createAccessReplica } from '@commons/db'
import { type Kysely, sql } from 'kysely'

/**
 * The access replica every service that authorizes listings' users keeps (its DDL lives in @commons/db),
 * and the calendar links' issuer, checked against that replica.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createAccessReplica(db)
  await sql`
    -- Who issued the organization's calendar link, and the membership version they held the role at:
    -- the link stops working once the replica shows that they lost it.
    alter table calendar_feeds
      add column issued_by text,
      add column issued_members_version integer not null default 0;
  `.execute(db)
}
