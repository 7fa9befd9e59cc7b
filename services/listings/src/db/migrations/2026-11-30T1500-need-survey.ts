import { type Kysely, sql } from 'kysely'

/** A need raised from a needs survey's result keeps the survey's id (the survey lives in community). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table needs add column survey_id uuid`.execute(db)
}
