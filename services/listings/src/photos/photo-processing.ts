import { createHash } from 'node:crypto'
import { PHOTO_VARIANTS, type PhotoVariant } from '@commons/contracts'
import { problem } from '@commons/service-kit'
import sharp from 'sharp'

/** The formats an upload may be in, told by their first bytes (a file's name and declared type can lie). */
export type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'heic'

/** The format the bytes are in, from their signature; undefined when none matches. */
export function sniffPhotoFormat(bytes: Buffer): PhotoFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'webp'
  }
  // ISO base media file: `ftyp` at offset 4, then the brand. Phones write heic/heix (HEVC) or mif1.
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') {
    const brand = bytes.subarray(8, 12).toString('latin1')
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heic'
  }
  return undefined
}

/** A photo ready to store: its content id, size and WebP variants. */
export interface ProcessedPhoto {
  id: string
  width: number
  height: number
  variants: Record<PhotoVariant, Buffer>
}

/** Pixels a decoder may allocate for one upload (a 10 MB PNG can still claim a huge canvas). */
const MAX_INPUT_PIXELS = 60_000_000

/**
 * Decodes an upload and renders its variants. The image is turned upright by its EXIF orientation, then
 * re-encoded without any metadata (sharp drops EXIF, XMP and ICC unless told to keep them), so the GPS
 * position a phone writes never leaves the server.
 */
export async function processPhoto(bytes: Buffer): Promise<ProcessedPhoto> {
  const format = sniffPhotoFormat(bytes)
  if (!format) throw problem('photo_type_unsupported', 'Upload a JPEG, PNG or WebP photo.')
  // sharp's bundled libvips reads HEIF only with AV1 inside (AVIF); the HEVC of iPhone photos needs a
  // patent-encumbered decoder it does not ship. Phones convert to JPEG when a web page asks for a photo.
  if (format === 'heic') throw problem('photo_type_unsupported', 'HEIC photos cannot be read; upload a JPEG.')
  const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32)
  let upright: { data: Buffer; info: { width: number; height: number } }
  try {
    upright = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .toBuffer({ resolveWithObject: true })
  } catch {
    throw problem('photo_unreadable', 'The photo could not be read; it may be damaged.')
  }
  const entries = await Promise.all(
    (Object.keys(PHOTO_VARIANTS) as PhotoVariant[]).map(async (variant) => {
      const size = PHOTO_VARIANTS[variant]
      const webp = await sharp(upright.data)
        .resize({ width: size.width, height: size.height, fit: size.fit, withoutEnlargement: size.fit === 'inside' })
        .webp({ quality: variant === 'page' ? 82 : 78 })
        .toBuffer()
      return [variant, webp] as const
    }),
  )
  return {
    id,
    width: upright.info.width,
    height: upright.info.height,
    variants: Object.fromEntries(entries) as Record<PhotoVariant, Buffer>,
  }
}
