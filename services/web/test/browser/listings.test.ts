/**
 * A provider at 1280 px creates a venue the way a person would: 上海市 → 浦东新区 from lists, a street
 * address, an optional pin dropped on the map (no tiles load offline: the map stays blank and still takes
 * the pin), two photos with the second made the cover. Once published, a member on a 375 px phone finds
 * it with its cover on the card and both photos on the page, ranks it by distance with "near me", and sees
 * search, the home page and the activities list change when the header's city changes.
 * axe-core on each page; screenshots under test-results/screenshots/.
 */
import { crc32, deflateSync } from 'node:zlib'
import t from 'tap'
import { distanceKm } from '../../../../packages/places/src/coordinates.ts'
import { findDistrict } from '../../../../packages/places/src/index.ts'
import { startTestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import { type Json, publishListing, signUpModerator, strictCall } from './journey-setup.ts'
import {
  type AxeViolation,
  BROWSER_TEST_TIMEOUT,
  CHROMIUM,
  checkPage,
  describeViolations,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  signedInPage,
} from './support.ts'

const PASSWORD = 'gongxiang2026ziyuan'
const PUDONG = '310115'

t.setTimeout(BROWSER_TEST_TIMEOUT)

/** A small solid-colour PNG, so the upload goes through the real decoder without a bundled file. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())])
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

t.test(
  'a venue with places, a pin and photos, found by city and by distance',
  { skip: CHROMIUM ? false : NO_CHROMIUM },
  async (t) => {
    await ensureUiBuilt()
    const stack = await startTestStack(t)
    const { base } = stack
    const call = strictCall(stack)

    const stamp = Date.now()
    const emails = { provider: `lin+${stamp}@example.org`, member: `wu+${stamp}@example.org` }
    const moderatorEmail = `gu+${stamp}@example.org`
    const provider = await stack.signUp({ email: emails.provider, password: PASSWORD, displayName: '林主任' })
    await stack.signUp({ email: emails.member, password: PASSWORD, displayName: '吴社工' })
    const moderator = await signUpModerator(stack, moderatorEmail, '顾审核')
    const providerOrg = await call('POST', '/v1/organizations', {
      token: provider.accessToken,
      body: { name: '金桥镇社区党群服务站', kind: 'party_branch', district: '浦东新区', city: '上海' },
    })
    const orgId = providerOrg.organization.id as string

    // A Beijing venue with the same word in its title: the city switch must swap one for the other.
    const beijingOrg = await call('POST', '/v1/organizations', {
      token: provider.accessToken,
      body: { name: '朝阳区望京街道社区服务站', kind: 'residents_committee', district: '朝阳区', city: '北京' },
    })
    await publishListing(call, beijingOrg, moderator.accessToken, {
      kind: 'venue',
      title: '望京街道多功能活动室',
      description: '社区多功能活动室，可开展讲座和读书会。',
      tags: ['活动室'],
      location: { city: '北京', district: '朝阳区', address: '望京西路 1 号' },
      capacity: 40,
      amenities: [],
      pricing: { model: 'free' },
      rules: {
        mode: 'request',
        slotMinutes: 60,
        minDurationMinutes: 60,
        maxDurationMinutes: 180,
        minNoticeHours: 1,
        maxAdvanceDays: 90,
        cancellationPolicy: 'flexible',
      },
      availability: { timezone: 'Asia/Shanghai', weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
    })

    const { browser, axeSource } = await launchBrowser(t)
    const pageErrors: string[] = []
    const checked: Record<string, AxeViolation[]> = {}
    const title = '金桥党群服务站活动室'
    let listingId = ''

    await t.test('the provider creates the venue from lists, pins it and sets the second photo as cover', async (t) => {
      const page = await signedInPage(t, browser, {
        base,
        email: emails.provider,
        password: PASSWORD,
        width: 1280,
        errors: pageErrors,
      })
      await page.goto(`${base}/orgs/${orgId}/listings/new`)
      await page.getByLabel('标题').fill(title)
      await page.getByLabel('介绍').fill('宽敞明亮的社区活动室，配有投影和音响，适合党课、讲座和居民议事会。')
      await page.getByLabel('容纳人数').fill('50')
      await page.getByLabel('省份').selectOption({ label: '上海市' })
      await page.getByLabel('城市', { exact: true }).selectOption({ label: '上海市' })
      await page.getByLabel('区县').selectOption({ label: '浦东新区' })
      await page.getByLabel('详细地址').fill('金桥路 1000 号')
      t.equal(
        await page.locator('input[name*="lat"], input[name*="lng"], #l-location-lat').count(),
        0,
        'no coordinate input',
      )

      await page.getByRole('button', { name: '在地图上标注' }).click()
      const map = page.getByRole('application', { name: /地图/ })
      // Leaflet marks its container once the map is set up; the panes inside have no size of their own.
      await page.locator('.map-pin-map.leaflet-container').waitFor()
      const box = (await map.boundingBox())!
      await map.click({ position: { x: box.width / 2 + 40, y: box.height / 2 - 30 } })
      await page.locator('.map-pin-marker').waitFor()
      await page.getByText('已在地图上标注位置').waitFor()

      await page.locator('#photo-upload').setInputFiles([
        { name: 'hall.png', mimeType: 'image/png', buffer: png(96, 72, [200, 80, 40]) },
        { name: 'stage.png', mimeType: 'image/png', buffer: png(96, 72, [40, 90, 200]) },
      ])
      await page.locator('.photo-item').nth(1).waitFor()
      await page.getByLabel('第 1 张照片的文字说明').fill('活动室全景')
      await page.getByLabel('第 2 张照片的文字说明').fill('讲台和投影')
      await page.getByRole('button', { name: '设为封面' }).click()
      t.match(await page.locator('.photo-item').first().textContent(), /封面/)
      t.equal(
        await page.getByLabel('第 1 张照片的文字说明').inputValue(),
        '讲台和投影',
        'the second photo is now first',
      )
      await checkPage(page, axeSource, checked, 'listing form with map and photos', 'listing-form-1280')

      await page.getByRole('button', { name: '保存为草稿' }).click()
      await page.waitForURL(`${base}/orgs/${orgId}`)
      const listings = await call('GET', `/v1/organizations/${orgId}/listings`, {
        token: providerOrg.accessToken,
      })
      const created = (listings.items as Json[]).find((l) => l.title === title)
      t.ok(created, 'the draft exists')
      listingId = created.id
      const full = await call('GET', `/v1/listings/${listingId}`, { token: providerOrg.accessToken })
      t.match(full.location, { city: '上海', district: '浦东新区', districtCode: PUDONG, address: '金桥路 1000 号' })
      const centroid = findDistrict(PUDONG)!.district
      const pin = { lat: full.location.lat as number, lng: full.location.lng as number }
      t.ok(Number.isFinite(pin.lat) && Number.isFinite(pin.lng), 'the pin is stored')
      t.ok(distanceKm(pin, centroid) < 15, 'near the district it was dropped in')
      t.ok(distanceKm(pin, centroid) > 0.05, 'and not the centroid itself')
      t.same(
        (full.photos as Json[]).map((p) => p.alt),
        ['讲台和投影', '活动室全景'],
        'two photos, the chosen cover first',
      )
      await call('POST', `/v1/listings/${listingId}/submit`, { token: providerOrg.accessToken })
      await call('POST', `/v1/moderation/listings/${listingId}/approve`, { token: moderator.accessToken })
    })

    const member = await signedInPage(t, browser, {
      base,
      email: emails.member,
      password: PASSWORD,
      width: 375,
      errors: pageErrors,
    })

    await t.test('the card shows the cover and the page both photos', async (t) => {
      await eventually(async () => {
        const res = await fetch(
          `${base}/v1/search?q=${encodeURIComponent('活动室')}&city=${encodeURIComponent('上海')}`,
        )
        return res.ok && ((await res.json()) as Json).hits.some((h: Json) => h.id === listingId && h.coverPhoto)
      }, 'the listing reaches the search index with its cover')
      await member.goto(`${base}/search?q=${encodeURIComponent('活动室')}`)
      const card = member.locator('.listing-card', { hasText: title })
      await card.waitFor()
      const cover = card.locator('img.card-cover')
      await cover.waitFor()
      await eventually(
        async () => (await cover.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 0,
        'the cover shows',
      )
      await checkPage(member, axeSource, checked, 'search with photo cards', 'listing-search-375')
      await card.getByRole('link', { name: title }).click()
      await member.waitForURL(`${base}/listings/${listingId}`)
      const photos = member.locator('ul.photos img')
      await eventually(async () => (await photos.count()) === 2, 'both photos are on the page')
      t.equal(await photos.first().getAttribute('alt'), '讲台和投影')
      await checkPage(member, axeSource, checked, 'listing page with photos', 'listing-page-375')
    })

    await t.test('"near me" ranks it by distance', async (t) => {
      const listing = await call('GET', `/v1/listings/${listingId}`)
      const context = member.context()
      await context.grantPermissions(['geolocation'], { origin: base })
      // 300 m from the pin: the venue comes first, with its distance on the card.
      await context.setGeolocation({ latitude: listing.location.lat + 0.0027, longitude: listing.location.lng })
      await member.goto(`${base}/search?q=${encodeURIComponent('活动室')}`)
      await member.locator('.listing-card', { hasText: title }).waitFor()
      // On a phone the position is asked for inside the filter sheet.
      await member.getByRole('button', { name: /^筛选/ }).click()
      const sheet = member.getByRole('dialog', { name: '筛选' })
      await sheet.getByRole('button', { name: '使用我的位置' }).click()
      await member.waitForURL(/near=/)
      await sheet.getByRole('button', { name: /查看 \d+ 个结果/ }).click()
      await sheet.waitFor({ state: 'hidden' })
      const first = member.locator('.card-grid:not(.is-stale) .listing-card').first()
      await first.filter({ hasText: title }).waitFor()
      t.match(await first.textContent(), /0\.\d+ 公里|\d+ 米/, 'the nearest card says how near')
      await checkPage(member, axeSource, checked, 'search near me', 'listing-near-375')
    })

    await t.test('switching the city changes search, the home page and the activities list', async (t) => {
      await member.goto(`${base}/search?q=${encodeURIComponent('活动室')}`)
      await member.locator('.listing-card', { hasText: title }).waitFor()
      await member.getByLabel('切换城市').selectOption('北京')
      await member.locator('.listing-card', { hasText: '望京街道多功能活动室' }).waitFor()
      t.equal(await member.locator('.listing-card', { hasText: title }).count(), 0, 'the Shanghai venue is gone')
      await checkPage(member, axeSource, checked, 'search in Beijing', 'listing-city-375')
      await member.goto(`${base}/`)
      await member.getByRole('heading', { name: '北京的热门资源' }).waitFor()
      await member.goto(`${base}/activities`)
      await member.getByRole('heading', { name: '北京的活动' }).waitFor()
      await member.getByLabel('切换城市').selectOption('上海')
      await member.getByRole('heading', { name: '上海的活动' }).waitFor()
      await member.setViewportSize({ width: 1280, height: 900 })
      await member.goto(`${base}/search?q=${encodeURIComponent('活动室')}`)
      await member.locator('.listing-card', { hasText: title }).waitFor()
      await checkPage(member, axeSource, checked, 'search in Shanghai (desktop)', 'listing-city-1280')
      t.pass('the choice is remembered and applies across pages')
    })

    t.test('no serious or critical accessibility findings, no script errors', async (t) => {
      for (const [name, violations] of Object.entries(checked)) t.same(describeViolations(violations), [], name)
      t.same(pageErrors, [], 'no script errors')
    })
  },
)
