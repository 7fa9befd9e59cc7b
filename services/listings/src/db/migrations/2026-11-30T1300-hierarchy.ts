import { type Kysely, sql } from 'kysely'

/** Organization parent links (asked by the child, confirmed by the parent) and parents' fair-share quotas. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per organization that ever named a parent. The row stays when the link ends (status 'none'),
    -- so its version keeps growing and consumers of organization.parent_changed never see it go back.
    create table organization_parents (
      organization_id uuid primary key references organizations (id) on delete cascade,
      parent_id uuid references organizations (id) on delete cascade,
      status text not null check (status in ('none', 'pending', 'confirmed')),
      requested_by uuid references users (id) on delete set null,
      requested_at timestamptz,
      confirmed_by uuid references users (id) on delete set null,
      confirmed_at timestamptz,
      version integer not null default 1,
      constraint organization_parents_status_parent check ((status = 'none') = (parent_id is null)),
      constraint organization_parents_not_self check (parent_id <> organization_id)
    );
    create index organization_parents_parent_idx on organization_parents (parent_id) where parent_id is not null;

    -- A parent's quotas as one document (at most one per listing kind), versioned as a whole because the
    -- feed carries the whole set.
    create table organization_quotas (
      organization_id uuid primary key references organizations (id) on delete cascade,
      quotas jsonb not null,
      version integer not null default 1,
      updated_at timestamptz not null default now()
    );
  `.execute(db)
}
