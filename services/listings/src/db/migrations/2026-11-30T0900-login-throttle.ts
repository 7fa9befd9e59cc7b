import { type Kysely, sql } from 'kysely'

/**
 * Failed logins per email (known or not, so the table says nothing about which emails have accounts):
 * after a few failures the email is locked for a time that doubles with each further failure.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table login_throttle (
      email text primary key,
      failures integer not null,
      last_failure_at timestamptz not null,
      locked_until timestamptz
    );
  `.execute(db)
}
