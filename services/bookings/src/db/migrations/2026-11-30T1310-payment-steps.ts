import { type Kysely, sql } from 'kysely'

/**
 * The money steps a booking's transitions decided on (capture, release, refund, deposit), carried out with
 * the payment provider by a job after the transition commits, in the order they were decided. A row is the
 * record of the intent and of its outcome: `done_at` once the provider did it, `last_error` while it fails.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table payment_steps (
      id bigint generated always as identity primary key,
      booking_id uuid not null references bookings (id),
      step text not null check (step in ('capture', 'release', 'refund', 'release_deposit', 'retain_deposit')),
      amount integer,
      from_status text not null,
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null,
      done_at timestamptz
    );
    create index payment_steps_pending on payment_steps (booking_id, id) where done_at is null;
  `.execute(db)
}
