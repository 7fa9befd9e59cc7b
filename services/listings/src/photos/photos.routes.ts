import { IdParams, MAX_PHOTO_BYTES, PhotoFileParams, UploadedPhoto } from '@commons/contracts'
import { type App, notFound, problem, requireActor } from '@commons/service-kit'
import multipart from '@fastify/multipart'
import { type PhotoDeps, uploadPhoto, variantKey } from './photos.service.ts'

const security = [{ bearerAuth: [] }]

/** Photo upload (organization members) and the public, immutable photo files. */
export async function registerPhotoRoutes(app: App, deps: PhotoDeps) {
  const tags = ['photos']
  await app.register(multipart, { limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 0, parts: 2 } })

  app.post(
    '/v1/organizations/:id/photos',
    {
      schema: {
        operationId: 'uploadPhoto',
        tags,
        security,
        description:
          'multipart/form-data with one file field: a JPEG, PNG or WebP photo of at most 10 MB (the type is ' +
          'read from the bytes). EXIF is removed; the answer names the WebP variants. Use the id in a ' +
          "listing's photos or as the organization's logo.",
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: UploadedPhoto },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      if (!request.isMultipart()) throw problem('unsupported_media_type', 'Send the photo as multipart/form-data.')
      const file = await request.file()
      if (!file) throw problem('bad_request', 'The form has no file.')
      let bytes: Buffer
      try {
        bytes = await file.toBuffer()
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw problem('photo_too_large', `A photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`)
        }
        throw error
      }
      return reply.code(201).send(await uploadPhoto(deps, actor, request.params.id, bytes))
    },
  )

  app.get(
    '/v1/photos/:id/:file',
    {
      schema: {
        operationId: 'getPhoto',
        tags,
        description: 'A WebP variant of a photo (card 480×360, page up to 1280×960, share 1200×630).',
        params: PhotoFileParams,
      },
    },
    async (request, reply) => {
      const { id, file } = request.params
      const bytes = await deps.storage.get(variantKey(id, file.replace('.webp', '') as 'card'))
      if (!bytes) throw notFound('photo', id)
      // The URL names the content (a hash of the upload), so it never changes: caches keep it for a year
      // and never revalidate.
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', `"${id}-${file}"`)
        .header('x-content-type-options', 'nosniff')
        .type('image/webp')
        .send(bytes)
    },
  )
}
