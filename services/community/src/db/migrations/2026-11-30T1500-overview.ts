import { type Kysely, sql } from 'kysely'

/**
 * What overviews read from the listings feed: confirmed parent links, every published listing's kind and
 * district, and needs with when they opened and closed. Counts only, so no titles or texts are kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organization_parents (
      organization_id uuid primary key,
      parent_id uuid,
      version integer not null
    );
    create index organization_parents_parent_idx on organization_parents (parent_id) where parent_id is not null;

    create table overview_listings (
      id uuid primary key,
      version integer not null,
      organization_id uuid not null,
      kind text not null,
      district text not null,
      published boolean not null
    );
    create index overview_listings_district_idx on overview_listings (district, kind) where published;

    create table overview_needs (
      id uuid primary key,
      version integer not null,
      organization_id uuid not null,
      kind text not null,
      district text not null,
      open boolean not null,
      opened_at timestamptz not null,
      closed_at timestamptz
    );
    create index overview_needs_organization_idx on overview_needs (organization_id) where open;
  `.execute(db)
}
