import type { Actor } from '@commons/contracts'
import { forbidden } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Whether the actor is a moderator now, by the database: the token's flag may be up to 15 minutes old,
 * in either direction, after a grant or a revoke.
 */
export async function isModerator(db: Kysely<DB>, actor: Actor | null): Promise<boolean> {
  if (!actor) return false
  const row = await db.selectFrom('users').select('moderator').where('id', '=', actor.userId).executeTakeFirst()
  return row?.moderator ?? false
}

/** 403 unless the actor is a moderator (anonymous callers get 401 from `requireActor` first). */
export async function assertModerator(db: Kysely<DB>, actor: Actor): Promise<void> {
  if (!(await isModerator(db, actor))) throw forbidden('Only moderators may do this.')
}
