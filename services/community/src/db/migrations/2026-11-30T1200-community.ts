import { type Kysely, sql } from 'kysely'

/**
 * What community keeps from the other feeds to check and show activities without calling another service:
 * organizations' public facts and venues (listings feed), and organizations' bookings (bookings feed), so
 * an activity's place can be one of the host's confirmed bookings or its own venues.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organizations (
      id uuid primary key,
      version integer not null,
      name text not null,
      kind text not null,
      district text,
      city text,
      verified boolean not null default false,
      updated_at timestamptz not null default now()
    );

    create table venues (
      id uuid primary key,
      version integer not null,
      organization_id uuid not null,
      title text not null,
      district text not null,
      address text,
      lat double precision,
      lng double precision,
      published boolean not null,
      updated_at timestamptz not null default now()
    );
    create index venues_organization_idx on venues (organization_id);

    create table bookings (
      id uuid primary key,
      version integer not null,
      listing_id uuid not null,
      requester_organization_id uuid not null,
      provider_organization_id uuid not null,
      status text not null,
      start_at timestamptz not null,
      end_at timestamptz not null,
      updated_at timestamptz not null default now()
    );
    create index bookings_requester_idx on bookings (requester_organization_id);
  `.execute(db)
}
