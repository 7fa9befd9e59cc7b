import { type Kysely, sql } from 'kysely'

/**
 * Email verification: an account signs in only once its email is verified. Accounts from before this
 * migration are marked verified (at their creation), so existing people and data are unaffected.
 * `account_mails` keeps one row per mail sent to an account about signing up (a verification link, or
 * "an account exists"): the link's token is kept hashed, and the rows throttle how often an account is
 * mailed. It holds no address, so erasing an account leaves no email behind here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column email_verified_at timestamptz;
    update users set email_verified_at = created_at;

    create table account_mails (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      kind text not null check (kind in ('verify_email', 'account_exists')),
      token_hash bytea,
      expires_at timestamptz,
      used_at timestamptz,
      sent_at timestamptz not null,
      constraint account_mails_token check ((kind = 'verify_email') = (token_hash is not null and expires_at is not null))
    );
    create unique index account_mails_token_key on account_mails (token_hash) where token_hash is not null;
    create index account_mails_user_sent on account_mails (user_id, sent_at desc);
  `.execute(db)
}
