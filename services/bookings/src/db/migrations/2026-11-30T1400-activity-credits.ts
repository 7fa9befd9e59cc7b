import { type Kysely, sql } from 'kysely'

/**
 * Volunteers who serve at a community activity earn time credits too (community announces
 * `activity.volunteer-served`): a journal then belongs to a sign-up of an activity instead of a booking,
 * once per sign-up and kind, exactly one of the two.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table credit_journals alter column booking_id drop not null;
    alter table credit_journals add column activity_id uuid, add column registration_id uuid;
    alter table credit_journals add constraint credit_journals_source
      check ((booking_id is null) <> (registration_id is null) and (registration_id is null) = (activity_id is null));
    create unique index credit_journals_registration on credit_journals (registration_id, kind)
      where registration_id is not null;
  `.execute(db)
}
