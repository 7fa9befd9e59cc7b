import { validationFailed } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Records that an organization uploaded a photo; uploading the same bytes again is a no-op. */
export async function recordPhoto(
  db: Kysely<DB>,
  photo: { organizationId: string; id: string; uploadedBy: string; width: number; height: number },
) {
  await db
    .insertInto('photos')
    .values(photo)
    .onConflict((oc) => oc.columns(['organizationId', 'id']).doNothing())
    .execute()
}

/**
 * Refuses photo ids the organization did not upload: a listing or logo may only show the organization's
 * own photos, so nobody can put another group's pictures on their page by copying ids.
 */
export async function assertOwnPhotos(
  db: Kysely<DB> | Transaction<DB>,
  organizationId: string,
  ids: string[],
  path: string,
) {
  if (ids.length === 0) return
  const found = await db
    .selectFrom('photos')
    .select('id')
    .where('organizationId', '=', organizationId)
    .where('id', 'in', ids)
    .execute()
  const known = new Set(found.map((r) => r.id))
  const missing = ids.flatMap((id, i) => (known.has(id) ? [] : [i]))
  if (missing.length > 0) {
    throw validationFailed(
      missing.map((i) => ({
        path: ids.length === 1 && !path.endsWith('photos') ? path : `${path}.${i}.id`,
        message: 'not a photo uploaded by this organization',
      })),
    )
  }
}
