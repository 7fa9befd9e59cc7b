import { type Kysely, sql } from 'kysely'

/** The moderators' list of hidden ratings, newest hide first. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index ratings_hidden on ratings (hidden_at desc, id desc) where hidden_at is not null;
  `.execute(db)
}
