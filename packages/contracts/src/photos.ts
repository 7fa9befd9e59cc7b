import { z } from 'zod'
import { text } from './common.ts'

/*
 * Photos of listings and organization logos. An upload is stored once per content (its id is a hash of
 * the bytes), as WebP variants sized for where it shows; the original, with its EXIF (GPS position,
 * camera serial), is never kept.
 */

/** A photo's id: the first 32 hex digits of the SHA-256 of the uploaded bytes. */
export const PhotoId = z
  .string()
  .regex(/^[0-9a-f]{32}$/, 'not a photo id')
  .meta({ id: 'PhotoId' })
export type PhotoId = z.infer<typeof PhotoId>

/** The sizes a photo is served in, all WebP. `share` is the 1200×630 Open Graph preview. */
export const PHOTO_VARIANTS = {
  card: { width: 480, height: 360, fit: 'cover' },
  page: { width: 1280, height: 960, fit: 'inside' },
  share: { width: 1200, height: 630, fit: 'cover' },
} as const
export const PhotoVariant = z.enum(['card', 'page', 'share']).meta({ id: 'PhotoVariant' })
export type PhotoVariant = z.infer<typeof PhotoVariant>

/** Where a variant of a photo is served (same origin; immutable, so cached for a year). */
export const photoUrl = (id: string, variant: PhotoVariant) => `/v1/photos/${id}/${variant}.webp`

/** Largest upload accepted, in bytes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024

/** A photo on a listing, as the owner orders it: the first is the cover. */
export const ListingPhoto = z
  .strictObject({
    id: PhotoId,
    alt: text({ max: 200 }).default('').describe('What the photo shows, for screen readers'),
  })
  .meta({ id: 'ListingPhoto' })
export type ListingPhoto = z.infer<typeof ListingPhoto>

/** The answer to an upload: the photo's id, its size after EXIF rotation, and its variants' URLs. */
export const UploadedPhoto = z
  .object({
    id: PhotoId,
    width: z.number().int(),
    height: z.number().int(),
    urls: z.object({ card: z.string(), page: z.string(), share: z.string() }),
  })
  .meta({ id: 'UploadedPhoto' })
export type UploadedPhoto = z.infer<typeof UploadedPhoto>

/** Path parameters of `GET /v1/photos/:id/:file`. */
export const PhotoFileParams = z.object({
  id: PhotoId,
  file: z.enum(['card.webp', 'page.webp', 'share.webp']),
})
