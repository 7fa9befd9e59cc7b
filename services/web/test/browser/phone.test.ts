/**
 * A member on a 375 px phone: picks a slot 60 days ahead in the listing's date strip, sees a taken slot
 * greyed and a closed day marked, loses a slot to someone faster and is told so in Chinese (never the
 * server's English detail), books; then filters a search through the bottom sheet and lands on results.
 * axe-core on each page: no serious or critical findings.
 */
import { randomUUID } from 'node:crypto'
import t from 'tap'
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
  shanghaiDate,
  signedInPage,
} from './support.ts'

const PASSWORD = 'gongxiang2026ziyuan'

t.setTimeout(BROWSER_TEST_TIMEOUT)

/** Weekday (0 = Sunday) of a `YYYY-MM-DD` date. */
const weekdayOf = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay()

t.test('booking and searching on a phone', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  const stack = await startTestStack(t)
  const { base } = stack
  const call = strictCall(stack)

  // A provider whose hall opens every day but Sunday, bookable 90 days ahead, priced per hour.
  const stamp = Date.now()
  const emails = { provider: `zhou+${stamp}@example.org`, member: `chen+${stamp}@example.org` }
  const moderatorEmail = `he+${stamp}@example.org`
  const provider = await stack.signUp({ email: emails.provider, password: PASSWORD, displayName: '周主任' })
  const member = await stack.signUp({ email: emails.member, password: PASSWORD, displayName: '陈社工' })
  const moderator = await signUpModerator(stack, moderatorEmail, '何审核')
  const providerOrg = await call('POST', '/v1/organizations', {
    token: provider.accessToken,
    body: { name: '张江镇社区文化活动中心', kind: 'residents_committee', district: '浦东新区', city: '上海' },
  })
  const memberOrg = await call('POST', '/v1/organizations', {
    token: member.accessToken,
    body: { name: '张江科学城读书会', kind: 'social_organization', district: '浦东新区', city: '上海' },
  })
  const hours = [{ start: '09:00', end: '12:00' }]
  const listing = await publishListing(call, providerOrg, moderator.accessToken, {
    kind: 'venue',
    title: '张江文化中心星空排练厅',
    description: '带镜面墙和音响的排练厅，适合合唱、舞蹈排练和读书分享会。',
    tags: ['排练', '读书会'],
    location: { city: '上海', district: '浦东新区', address: '张江路 100 号', lat: 31.2047, lng: 121.5901 },
    capacity: 30,
    amenities: ['sound_system', 'air_conditioning'],
    pricing: { model: 'fee', unit: 'hour', price: { amount: 5_000, currency: 'CNY' } },
    rules: {
      mode: 'request',
      slotMinutes: 60,
      minDurationMinutes: 60,
      maxDurationMinutes: 180,
      minNoticeHours: 1,
      maxAdvanceDays: 90,
      cancellationPolicy: 'flexible',
    },
    availability: {
      timezone: 'Asia/Shanghai',
      weekly: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours },
    },
  })

  // Days chosen by the calendar: a weekday 3 days out with a taken 10:00, a Sunday, a weekday 60+ days out.
  let takenDay = 3
  while (weekdayOf(shanghaiDate(takenDay)) === 0) takenDay++
  let sundayDay = 2
  while (weekdayOf(shanghaiDate(sundayDay)) !== 0) sundayDay++
  let farDay = 60
  while (weekdayOf(shanghaiDate(farDay)) === 0) farDay++
  const takenDate = shanghaiDate(takenDay)
  const farDate = shanghaiDate(farDay)
  const at = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`).toISOString()
  await eventually(async () => {
    const res = await stack.call(
      'GET',
      `/v1/availability/${listing.id}?from=${at(takenDate, '00:00')}&to=${at(takenDate, '23:00')}`,
    )
    return res.status === 200 && (res.body as Json).slots.length === 3
  }, 'bookings knows the listing')
  const bookAs = (start: string, end: string) =>
    stack.call('POST', '/v1/bookings', {
      token: memberOrg.accessToken,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        listingId: listing.id,
        organizationId: memberOrg.organization.id,
        start,
        end,
        attendees: 8,
        purpose: '读书分享会',
      },
    })
  const first = await bookAs(at(takenDate, '10:00'), at(takenDate, '11:00'))
  t.equal(first.status, 201, JSON.stringify(first.body))

  const { browser, axeSource } = await launchBrowser(t)
  const pageErrors: string[] = []
  const checked: Record<string, AxeViolation[]> = {}
  const page = await signedInPage(t, browser, {
    base,
    email: emails.member,
    password: PASSWORD,
    width: 375,
    errors: pageErrors,
  })

  await t.test('the listing page: a bar books from anywhere, the strip spans the horizon', async (t) => {
    await page.goto(`${base}/listings/${listing.id}`)
    const bar = page.locator('.book-bar')
    await bar.getByRole('button', { name: '立即预约' }).waitFor()
    t.match(await bar.textContent(), /¥50\.00\/小时/, 'the bar says the price')
    await bar.getByRole('button', { name: '立即预约' }).click()
    await page.getByRole('group', { name: '选择日期' }).waitFor()
    const chips = page.locator('.date-chip')
    t.ok((await chips.count()) >= 90, 'one chip per day of the 90-day horizon')
    const sunday = page.locator(`.date-chip[data-date="${shanghaiDate(sundayDay)}"]`)
    t.match(await sunday.textContent(), /不开放/, 'a closed day says so')
    await checkPage(page, axeSource, checked, 'listing (phone)', 'phone-listing-375')
  })

  await t.test('a taken slot shows greyed as 已约满 beside the free ones and their price', async (t) => {
    await page.locator(`.date-chip[data-date="${takenDate}"]`).click()
    const taken = page.locator('.slot-off')
    await taken.first().waitFor()
    t.equal(await taken.count(), 1)
    t.match(await taken.textContent(), /10:00.*已约满/)
    t.equal(await page.locator('.slot').count(), 2, 'the other two hours are free')
    t.match(await page.locator('.slot').first().textContent(), /¥50\.00/, 'each slot shows its price')
    t.equal(await page.locator('.slot-off input').count(), 0, 'a taken slot cannot be chosen')
  })

  await t.test('a slot 60 days ahead, lost to someone faster, then booked', async (t) => {
    await page.locator(`.date-chip[data-date="${farDate}"]`).click()
    await page
      .getByText(new RegExp(`${Number(farDate.slice(5, 7))}月${Number(farDate.slice(8))}日`))
      .first()
      .waitFor()
    await page.locator('.slot').first().click()
    await page.getByLabel('人数').fill('12')
    await page.getByLabel('用途').fill('季度读书分享会')
    // Someone books 09:00 that day first; the server's detail for it is English.
    const faster = await bookAs(at(farDate, '09:00'), at(farDate, '10:00'))
    t.equal(faster.status, 201)
    const again = await bookAs(at(farDate, '09:00'), at(farDate, '10:00'))
    const detail = String((again.body as Json).detail)
    t.equal((again.body as Json).code, 'slot_unavailable')
    await page.getByRole('button', { name: '提交预约申请' }).click()
    await page.getByText('这个时段刚被别人预约了').waitFor()
    t.notOk((await page.content()).includes(detail), 'the English detail never reaches the page')
    await page.locator('.slot-off', { hasText: '09:00' }).waitFor()
    t.pass('the lost slot now shows as taken')
    await page.locator('.slot').first().click()
    await page.getByRole('button', { name: '提交预约申请' }).click()
    await page.getByRole('heading', { name: '预约已提交' }).waitFor()
    const mine = await call('GET', `/v1/bookings?as=requester&organizationId=${memberOrg.organization.id}&limit=100`, {
      token: memberOrg.accessToken,
    })
    const starts = (mine.items as Json[]).map((b) =>
      new Date(b.start).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }),
    )
    t.equal(starts.filter((d) => d === farDate).length, 2, 'the booking 60 days ahead is made (beside the faster one)')
  })

  await t.test('search on a phone: filters in a bottom sheet, "查看 N 个结果", clear all', async (t) => {
    await eventually(async () => {
      const res = await fetch(`${base}/v1/search?q=${encodeURIComponent('排练厅')}`)
      return res.ok && ((await res.json()) as Json).total > 0
    }, 'the listing reaches the search index')
    await page.goto(`${base}/search?q=${encodeURIComponent('排练厅')}`)
    await page.locator('.listing-card').first().waitFor()
    t.equal(await page.locator('.filters').count(), 0, 'results first, no filter panel above them')
    await page.getByRole('button', { name: '类型' }).click()
    const sheet = page.getByRole('dialog', { name: '筛选' })
    await sheet.waitFor()
    await checkPage(page, axeSource, checked, 'search sheet (phone)', 'phone-search-sheet-375')
    await sheet.getByLabel(/^场地/).check()
    await page.waitForURL(/kind=venue/)
    const show = sheet.getByRole('button', { name: /查看 \d+ 个结果/ })
    await show.waitFor()
    await show.click()
    await sheet.waitFor({ state: 'hidden' })
    await page.locator('.listing-card', { hasText: '张江文化中心星空排练厅' }).waitFor()
    t.equal(await page.evaluate('window.scrollY'), 0, 'the results start at the top')
    t.equal(await page.getByRole('button', { name: '类型' }).getAttribute('class'), 'chip is-on')
    await checkPage(page, axeSource, checked, 'search (phone)', 'phone-search-375')
    await page.getByRole('button', { name: '清除全部' }).click()
    await page.waitForURL((url) => !url.search.includes('kind='))
    t.pass('clear all drops the filters and keeps the words')
  })

  t.test('no serious or critical accessibility findings', async (t) => {
    for (const [name, violations] of Object.entries(checked)) {
      t.same(describeViolations(violations), [], name)
    }
    t.same(pageErrors, [], 'no script errors')
  })
})
