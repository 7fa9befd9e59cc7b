import { type Kysely, sql } from 'kysely'

/**
 * What a booking shows of its two sides: names from the start, contacts and arrival details once it is
 * confirmed. Organizations' names come from `organization.updated`; contacts and arrival details from the
 * listings feed's private.* events, kept here and read only by the booking routes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table bookings add column requester_name text;
    alter table listing_replica add column address text;

    create table organization_replica (
      organization_id uuid primary key,
      name text,
      version integer not null default 0,
      contact_person text,
      mobile text,
      wechat_id text,
      contacts_version integer not null default 0
    );
    create table listing_private_replica (
      listing_id uuid primary key,
      arrival_notes text not null,
      payment_terms text not null,
      version integer not null
    );
  `.execute(db)
}
