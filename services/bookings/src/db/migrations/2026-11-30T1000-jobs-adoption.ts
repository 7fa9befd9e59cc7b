import { type Kysely, sql } from 'kysely'

/**
 * Timers and rating windows became jobs of the `bookings_jobs` queue. Pending `timers` rows and open rating
 * windows of a database made before need their jobs once; this table records that `migrate()` enqueued
 * them (a migration cannot, as the job queue's tables are installed by the library, not by migrations).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table jobs_adoption (adopted_at timestamptz not null default now())`.execute(db)
}
