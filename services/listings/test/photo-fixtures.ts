import type { App } from '@commons/service-kit'
import sharp from 'sharp'
import { bearer } from './helpers.ts'

/** A multipart/form-data body with one file field, as a browser's FormData sends it. */
export function multipart(bytes: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg') {
  const boundary = `----commons${Math.random().toString(16).slice(2)}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  )
  return {
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** A phone-like JPEG: 400×200 pixels stored sideways (EXIF orientation 6) with a GPS position. */
export async function phoneJpeg(color = '#c33') {
  return sharp({ create: { width: 400, height: 200, channels: 3, background: color } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Serial 12345' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer()
}

/** Uploads a photo for the organization through the API. */
export async function upload(app: App, token: string, organizationId: string, body: ReturnType<typeof multipart>) {
  return app.inject({
    method: 'POST',
    url: `/v1/organizations/${organizationId}/photos`,
    headers: { ...bearer(token), ...body.headers },
    payload: body.payload,
  })
}
