/**
 * What a browser or a chat app's link preview gets from the entry point, as curl would see it: compressed
 * assets and JSON, and listing and organization pages whose HTML carries their own meta tags (read from
 * a real listings service on a real database).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { parseConfig } from '@commons/service-kit'
import t from 'tap'
import { act, createListing, moderator, testDb, venueBody } from '../../listings/test/fixtures.ts'
import { bearer, orgOwner, testApp } from '../../listings/test/helpers.ts'
import { buildApp, WebConfig } from '../src/index.ts'

const DEAD = 'http://127.0.0.1:9'
// An uploaded photo as the listings service records it (the files themselves are not needed for the tags).
const PHOTO_ID = 'a'.repeat(32)
const PHOTO = `http://commons.example.cn/v1/photos/${PHOTO_ID}/share.webp`

t.test('delivery: compression and link previews', async (t) => {
  const { app: listings, databaseUrl } = await testApp(t)
  await listings.listen({ host: '127.0.0.1', port: 0 })
  const listingsUrl = `http://127.0.0.1:${(listings.server.address() as { port: number }).port}`

  const dir = await mkdtemp(join(tmpdir(), 'commons-ui-delivery-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'assets'))
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8" /><title>共享资源超市 · Commons</title>\n' +
      '<meta name="description" content="站点简介" /></head><body><div id="app"></div></body></html>',
  )
  const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `资源${i}`))}\n`
  await writeFile(join(dir, 'assets', 'app-1a2b3c.js'), script)

  const web = await buildApp(
    parseConfig(WebConfig, {
      LOG_LEVEL: 'silent',
      LISTINGS_URL: listingsUrl,
      DISCOVERY_URL: DEAD,
      BOOKINGS_URL: DEAD,
      UI_DIR: dir,
    }),
  )
  t.teardown(() => web.close())

  // A verified organization publishes at once; its listing has a cover photo and a long description.
  const owner = await orgOwner(listings, { name: '陆家嘴街道党群服务中心', description: '服务楼宇白领与居民。' })
  const mod = await moderator(listings, databaseUrl, t)
  const verify = await listings.inject({
    method: 'POST',
    url: `/v1/moderation/organizations/${owner.organization.id}/verify`,
    headers: bearer(mod.token),
  })
  t.equal(verify.statusCode, 200, verify.body)
  const refreshed = await listings.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken: owner.refreshToken },
  })
  const token = refreshed.json().accessToken as string
  await testDb(t, databaseUrl)
    .insertInto('photos')
    .values({
      organizationId: owner.organization.id,
      id: PHOTO_ID,
      uploadedBy: owner.user.id,
      width: 1200,
      height: 630,
    })
    .execute()
  const published = await createListing(
    listings,
    token,
    owner.organization.id,
    venueBody({
      title: '陆家嘴"星空"多功能厅 <礼堂>',
      description: `可容纳 60 人，投影、音响齐全。${'适合讲座、培训和居民议事。'.repeat(40)}`,
      photos: [{ id: PHOTO_ID, alt: '多功能厅' }],
    }),
  )
  t.equal((await act(listings, token, published.id, 'submit')).json().status, 'published')
  const draft = await createListing(listings, token, owner.organization.id, venueBody({ title: '还没发布的草稿' }))

  t.test('assets are sent with Brotli or gzip as the client accepts', async (t) => {
    const br = await web.inject({
      method: 'GET',
      url: '/assets/app-1a2b3c.js',
      headers: { 'accept-encoding': 'br' },
    })
    t.equal(br.statusCode, 200)
    t.equal(br.headers['content-encoding'], 'br')
    t.match(String(br.headers.vary), /accept-encoding/i)
    t.equal(brotliDecompressSync(br.rawPayload).toString(), script)
    t.ok(br.rawPayload.length < Buffer.byteLength(script) / 2, 'smaller by more than half')

    const gzip = await web.inject({
      method: 'GET',
      url: '/assets/app-1a2b3c.js',
      headers: { 'accept-encoding': 'gzip' },
    })
    t.equal(gzip.headers['content-encoding'], 'gzip')
    t.equal(gunzipSync(gzip.rawPayload).toString(), script)

    const plain = await web.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' })
    t.equal(plain.headers['content-encoding'], undefined, 'nothing asked, nothing compressed')
    t.equal(plain.body, script)
  })

  t.test('API answers proxied from a service are compressed too', async (t) => {
    const res = await web.inject({
      method: 'GET',
      url: `/v1/listings/${published.id}`,
      headers: { 'accept-encoding': 'br, gzip' },
    })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-encoding'], 'br')
    t.equal(JSON.parse(brotliDecompressSync(res.rawPayload).toString()).id, published.id)
  })

  t.test('a listing URL answers HTML carrying its own title, description and cover photo', async (t) => {
    const res = await web.inject({
      method: 'GET',
      url: `/listings/${published.id}`,
      headers: { host: 'commons.example.cn' },
    })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /text\/html/)
    const html = res.body
    const title = '陆家嘴&#34;星空&#34;多功能厅 &#60;礼堂&#62; · 共享资源超市'
    t.match(html, `<title>${title}</title>`, 'the title is escaped, not injected')
    t.match(html, `<meta property="og:title" content="${title}" />`)
    t.match(html, `<meta property="og:image" content="${PHOTO}" />`)
    t.match(html, `<meta property="og:url" content="http://commons.example.cn/listings/${published.id}" />`)
    const description = /<meta property="og:description" content="([^"]*)"/.exec(html)?.[1] ?? ''
    t.match(description, /^可容纳 60 人/)
    t.ok([...description].length <= 160, 'the description is clipped for previews')
    t.equal(html.match(/<title>/g)?.length, 1, 'one title')
    t.equal(html.match(/name="description"/g)?.length, 1, 'the site description is replaced, not repeated')
    t.notMatch(html, /站点简介/)
  })

  t.test("an organization's profile URL previews the organization", async (t) => {
    const res = await web.inject({ method: 'GET', url: `/profiles/${owner.organization.id}` })
    t.match(res.body, '<meta property="og:title" content="陆家嘴街道党群服务中心 · 共享资源超市" />')
    t.match(res.body, '<meta property="og:description" content="服务楼宇白领与居民。" />')
    t.match(res.body, /<meta property="og:image" content="http:\/\/localhost(:\d+)?\/og-image\.png" \/>/)
  })

  t.test('a draft or unknown listing, and every other page, get the site’s own tags', async (t) => {
    for (const url of [`/listings/${draft.id}`, '/listings/0199d7a2-0000-7000-8000-000000000000', '/search?q=会议室']) {
      const res = await web.inject({ method: 'GET', url })
      t.equal(res.statusCode, 200, url)
      t.match(res.body, '<meta property="og:title" content="共享资源超市 · Commons" />', url)
      t.notMatch(res.body, /还没发布的草稿/, url)
    }
  })
})
