import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { startS3Server } from '@commons/testkit'
import sharp from 'sharp'
import t from 'tap'
import { createListing, testDb, venueBody } from './fixtures.ts'
import { bearer, orgOwner, signUp, testApp } from './helpers.ts'
import { multipart, phoneJpeg, upload } from './photo-fixtures.ts'

t.test('an uploaded photo is stored as EXIF-free WebP variants served immutable', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const original = await phoneJpeg()
  t.ok((await sharp(original).metadata()).exif, 'the upload carries EXIF')

  const res = await upload(app, owner.token, owner.organization.id, multipart(original))
  t.equal(res.statusCode, 201, res.body)
  const photo = res.json()
  t.match(photo, { id: /^[0-9a-f]{32}$/, width: 200, height: 400 }, 'turned upright by its orientation')
  t.same(photo.urls, {
    card: `/v1/photos/${photo.id}/card.webp`,
    page: `/v1/photos/${photo.id}/page.webp`,
    share: `/v1/photos/${photo.id}/share.webp`,
  })

  const sizes = { card: [480, 360], page: [200, 400], share: [1200, 630] }
  for (const [variant, [width, height]] of Object.entries(sizes)) {
    const file = await app.inject({ method: 'GET', url: photo.urls[variant] })
    t.equal(file.statusCode, 200, variant)
    t.equal(file.headers['content-type'], 'image/webp')
    t.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable')
    const meta = await sharp(file.rawPayload).metadata()
    t.match(meta, { format: 'webp', width, height }, `${variant} size`)
    t.notOk(meta.exif, `${variant} has no EXIF`)
    t.notOk(meta.xmp, `${variant} has no XMP`)
    t.notOk(file.rawPayload.includes('TestPhone'), `${variant} names no camera`)
  }

  const again = await upload(app, owner.token, owner.organization.id, multipart(original, 'same.jpg'))
  t.equal(again.json().id, photo.id, 'the same bytes are the same photo')
  t.equal((await db.selectFrom('photos').selectAll().execute()).length, 1)

  const missing = await app.inject({ method: 'GET', url: `/v1/photos/${'0'.repeat(32)}/card.webp` })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().code, 'photo_not_found')
})

t.test('the type is read from the bytes, and uploads are bounded', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const png = await sharp({ create: { width: 64, height: 64, channels: 4, background: '#36c' } })
    .png()
    .toBuffer()
  const webp = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3c6' } })
    .webp()
    .toBuffer()
  t.equal((await upload(app, owner.token, owner.organization.id, multipart(png, 'logo.jpg'))).statusCode, 201)
  t.equal(
    (await upload(app, owner.token, owner.organization.id, multipart(webp, 'x.bin', 'text/plain'))).statusCode,
    201,
  )

  const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(64)])
  for (const [name, bytes] of [
    ['a script named like a photo', Buffer.from('<script>alert(1)</script>')],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a HEIC photo (no decoder)', heic],
  ] as const) {
    const res = await upload(app, owner.token, owner.organization.id, multipart(bytes, 'photo.jpg'))
    t.equal(res.statusCode, 415, name)
    t.equal(res.json().code, 'photo_type_unsupported', name)
  }
  const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)])
  const unreadable = await upload(app, owner.token, owner.organization.id, multipart(broken))
  t.equal(unreadable.statusCode, 422)
  t.equal(unreadable.json().code, 'photo_unreadable')

  const huge = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(10 * 1024 * 1024)])
  const tooLarge = await upload(app, owner.token, owner.organization.id, multipart(huge))
  t.equal(tooLarge.statusCode, 413)
  t.equal(tooLarge.json().code, 'photo_too_large')

  const stranger = await signUp(app)
  const forbidden = await upload(app, stranger.accessToken, owner.organization.id, multipart(png))
  t.equal(forbidden.statusCode, 403)
  t.equal((await db.selectFrom('photos').selectAll().execute()).length, 2, 'only the two good uploads are recorded')
})

t.test('a listing orders its photos with alt text, the first is the cover; logos too', async (t) => {
  const { app } = await testApp(t)
  const owner = await orgOwner(app)
  const other = await orgOwner(app, { name: '别的组织' })
  const ids: string[] = []
  for (const color of ['#a00', '#0a0', '#00a']) {
    ids.push((await upload(app, owner.token, owner.organization.id, multipart(await phoneJpeg(color)))).json().id)
  }
  const foreign = (await upload(app, other.token, other.organization.id, multipart(await phoneJpeg('#ff0')))).json().id

  const listing = await createListing(
    app,
    owner.token,
    owner.organization.id,
    venueBody({ photos: [{ id: ids[0], alt: '会议室全景' }, { id: ids[1] }] }),
  )
  const read = await app.inject({ method: 'GET', url: `/v1/listings/${listing.id}`, headers: bearer(owner.token) })
  t.same(read.json().photos, [
    { id: ids[0], alt: '会议室全景' },
    { id: ids[1], alt: '' },
  ])

  const patch = (version: number, photos: unknown) =>
    app.inject({
      method: 'PATCH',
      url: `/v1/listings/${listing.id}`,
      headers: { ...bearer(owner.token), 'if-match': `"${version}"` },
      payload: { photos },
    })
  const cover = await patch(1, [{ id: ids[2], alt: '门口' }, { id: ids[1] }])
  t.equal(cover.statusCode, 200)
  t.same(
    cover.json().photos.map((p: { id: string }) => p.id),
    [ids[2], ids[1]],
    'a new cover first; the removed photo is gone from the listing',
  )

  const stolen = await patch(2, [{ id: foreign }])
  t.equal(stolen.statusCode, 400)
  t.same(stolen.json().errors, [{ path: 'body.photos.0.id', message: 'not a photo uploaded by this organization' }])
  const twice = await patch(2, [{ id: ids[0] }, { id: ids[0] }])
  t.equal(twice.statusCode, 400)

  const logo = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${owner.organization.id}`,
    headers: bearer(owner.token),
    payload: { logo: ids[0] },
  })
  t.equal(logo.statusCode, 200)
  t.equal(logo.json().logo, ids[0])
  const foreignLogo = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${owner.organization.id}`,
    headers: bearer(owner.token),
    payload: { logo: foreign },
  })
  t.equal(foreignLogo.statusCode, 400)
  t.same(foreignLogo.json().errors, [{ path: 'body.logo', message: 'not a photo uploaded by this organization' }])
})

t.test('with a bucket configured, photos go to the S3-compatible store', async (t) => {
  const s3 = await startS3Server(t)
  const { app } = await testApp(t, {
    PHOTOS_S3_BUCKET: s3.bucket,
    PHOTOS_S3_ENDPOINT: s3.endpoint,
    PHOTOS_S3_REGION: s3.region,
    PHOTOS_S3_ACCESS_KEY_ID: s3.accessKeyId,
    PHOTOS_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    PHOTOS_S3_FORCE_PATH_STYLE: 'true',
  })
  const owner = await orgOwner(app)
  const res = await upload(app, owner.token, owner.organization.id, multipart(await phoneJpeg()))
  t.equal(res.statusCode, 201, res.body)
  const { id } = res.json()

  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  })
  t.teardown(() => client.destroy())
  const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `photos/${id}/page.webp` }))
  const stored = Buffer.from(await object.Body!.transformToByteArray())
  t.equal((await sharp(stored).metadata()).format, 'webp', 'the bucket holds the WebP variant')

  const served = await app.inject({ method: 'GET', url: `/v1/photos/${id}/page.webp` })
  t.equal(served.statusCode, 200)
  t.ok(served.rawPayload.equals(stored), 'served from the bucket')
})
