import { type Kysely, sql } from 'kysely'

/**
 * Invitations to join an organization by email: membership needs the invitee's consent. One open
 * invitation per organization and email (re-inviting refreshes it); an open one past `expires_at` is
 * expired but stays the row a re-invitation refreshes. The email is normalized like `users.email`, so the
 * invitee is found by it whether the account existed at the time of the invitation or was made later.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table invitations (
      id uuid primary key,
      organization_id uuid not null references organizations (id) on delete cascade,
      email text not null,
      role text not null check (role in ('owner', 'admin', 'member')),
      invited_by uuid not null references users (id),
      version integer not null default 1,
      expires_at timestamptz not null,
      accepted_at timestamptz,
      declined_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint invitations_email_normalized check (email = lower(btrim(email))),
      constraint invitations_closed_once check (
        (accepted_at is not null)::int + (declined_at is not null)::int + (revoked_at is not null)::int <= 1
      )
    );
    create unique index invitations_open_idx on invitations (organization_id, email)
      where accepted_at is null and declined_at is null and revoked_at is null;
    create index invitations_email_idx on invitations (email)
      where accepted_at is null and declined_at is null and revoked_at is null;
  `.execute(db)
}
