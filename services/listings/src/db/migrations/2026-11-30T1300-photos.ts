import { type Kysely, sql } from 'kysely'

/**
 * Photos uploaded by organizations (the bytes live in the photo store, keyed by `id`, a hash of the
 * upload), and an organization's logo. A listing's `details.photos` were https links typed by hand; they
 * become uploaded photos, so the links (never checked, often dead) are dropped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table photos (
      organization_id uuid not null references organizations (id),
      id text not null check (id ~ '^[0-9a-f]{32}$'),
      uploaded_by uuid not null references users (id),
      width integer not null,
      height integer not null,
      created_at timestamptz not null default now(),
      primary key (organization_id, id)
    );
    alter table organizations add column logo text;
    update listings set details = jsonb_set(details, '{photos}', '[]'::jsonb)
      where jsonb_typeof(details -> 'photos') = 'array' and jsonb_array_length(details -> 'photos') > 0;
  `.execute(db)
}
