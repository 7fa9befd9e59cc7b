import { type Actor, PHOTO_VARIANTS, type PhotoVariant, photoUrl, type UploadedPhoto } from '@commons/contracts'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { assertRole } from '../organizations/permissions.ts'
import { processPhoto } from './photo-processing.ts'
import type { PhotoStorage } from './photo-storage.ts'
import { recordPhoto } from './photos.repository.ts'

/** The store key of a photo variant. */
export const variantKey = (id: string, variant: PhotoVariant) => `${id}/${variant}.webp`

/** What the photo routes need. */
export interface PhotoDeps {
  db: Kysely<DB>
  storage: PhotoStorage
}

/**
 * Stores an upload of an organization's member as WebP variants and records that the organization owns
 * it. The variants are written before the row, so a recorded photo always has its files.
 */
export async function uploadPhoto(
  deps: PhotoDeps,
  actor: Actor,
  organizationId: string,
  bytes: Buffer,
): Promise<UploadedPhoto> {
  await assertRole(deps.db, actor, organizationId, 'member')
  const photo = await processPhoto(bytes)
  await Promise.all(
    (Object.keys(PHOTO_VARIANTS) as PhotoVariant[]).map((variant) =>
      deps.storage.put(variantKey(photo.id, variant), photo.variants[variant], 'image/webp'),
    ),
  )
  await recordPhoto(deps.db, {
    organizationId,
    id: photo.id,
    uploadedBy: actor.userId,
    width: photo.width,
    height: photo.height,
  })
  return {
    id: photo.id,
    width: photo.width,
    height: photo.height,
    urls: { card: photoUrl(photo.id, 'card'), page: photoUrl(photo.id, 'page'), share: photoUrl(photo.id, 'share') },
  }
}
