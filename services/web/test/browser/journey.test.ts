/**
 * The booking journey in a real browser, one browser context per person: the requester books and cancels
 * (seeing the refund first), the provider accepts and records the offline payment in a second context, a
 * moderator completes the booking in a third, both sides rate in the UI, the published rating shows on the
 * listing page and the provider replies; then the public profile, the ledger page (CSV), moderation (verify,
 * audit log, reported rating hidden) and search (suggestions, near me, availability window).
 * axe-core on each new page; screenshots at 375 and 1280 px under test-results/screenshots/.
 * The listing and organizations are set up through the API (the listing form is covered by ui.test.ts).
 */
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import t from 'tap'
import { type CallOptions, startTestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import {
  type AxeViolation,
  CHROMIUM,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  SCREENSHOTS,
  seriousViolations,
} from './support.ts'

const PASSWORD = 'gongxiang2026ziyuan'

// biome-ignore lint/suspicious/noExplicitAny: API answers in a test
type Json = any

t.test('the booking journey across three browser contexts', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  const stack = await startTestStack(t)
  const { base } = stack

  /** The API as the test's setup uses it: any answer but 2xx fails the test. */
  const call = async (method: string, url: string, opts: CallOptions = {}): Promise<Json> => {
    const res = await stack.call(method, url, opts)
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  const stamp = Date.now()
  const emails = {
    provider: `zhang+${stamp}@example.org`,
    requester: `li+${stamp}@example.org`,
    moderator: `wang+${stamp}@example.org`,
  }
  const provider = await call('POST', '/v1/auth/register', {
    body: { email: emails.provider, password: PASSWORD, displayName: '张主任' },
  })
  const requester = await call('POST', '/v1/auth/register', {
    body: { email: emails.requester, password: PASSWORD, displayName: '李书记' },
  })
  await call('POST', '/v1/auth/register', {
    body: { email: emails.moderator, password: PASSWORD, displayName: '王审核' },
  })
  stack.grantModerator(emails.moderator)
  const moderator = await call('POST', '/v1/auth/login', { body: { email: emails.moderator, password: PASSWORD } })
  const providerOrg = await call('POST', '/v1/organizations', {
    token: provider.accessToken,
    body: { name: '花木街道党群服务中心', kind: 'party_branch', district: '浦东新区', city: '上海' },
  })
  const requesterOrg = await call('POST', '/v1/organizations', {
    token: requester.accessToken,
    body: { name: '联洋社区青年志愿者协会', kind: 'youth_league', district: '浦东新区', city: '上海' },
  })
  const allDay = [{ start: '08:00', end: '22:00' }]
  const listing = await call('POST', `/v1/organizations/${providerOrg.organization.id}/listings`, {
    token: providerOrg.accessToken,
    body: {
      kind: 'venue',
      title: '党群服务中心多功能会议室',
      description: '可容纳 40 人的会议室，配投影和白板，适合社区议事会和培训。',
      tags: ['会议', '培训'],
      location: { city: '上海', district: '浦东新区', address: '花木路 1000 号', lat: 31.2152, lng: 121.5448 },
      capacity: 40,
      amenities: ['projector', 'whiteboard', 'wifi'],
      pricing: { model: 'fee', unit: 'booking', price: { amount: 20_000, currency: 'CNY' } },
      rules: {
        mode: 'request',
        slotMinutes: 60,
        minDurationMinutes: 60,
        maxDurationMinutes: 240,
        minNoticeHours: 1,
        cancellationPolicy: 'moderate',
      },
      availability: {
        timezone: 'Asia/Shanghai',
        weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      },
    },
  })
  await call('POST', `/v1/listings/${listing.id}/submit`, { token: providerOrg.accessToken })
  await call('POST', `/v1/moderation/listings/${listing.id}/approve`, { token: moderator.accessToken })
  const from = new Date(Date.now() + 26 * 3600_000).toISOString()
  const to = new Date(Date.now() + 14 * 86_400_000).toISOString()
  let slots: Array<{ start: string; end: string }> = []
  await eventually(async () => {
    slots = (await call('GET', `/v1/availability/${listing.id}?from=${from}&to=${to}`)).slots
    return slots.length > 1
  }, 'bookings knows the listing')
  // A second booking, later, that the requester will cancel.
  const later = slots[slots.length - 1]!
  const toCancel = await call('POST', '/v1/bookings', {
    token: requesterOrg.accessToken,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      listingId: listing.id,
      organizationId: requesterOrg.organization.id,
      start: later.start,
      end: later.end,
      attendees: 10,
      purpose: '青年志愿者培训',
    },
  })

  // The provider has received the money for it offline, so cancelling it refunds by the policy.
  await call('POST', `/v1/bookings/${toCancel.id}/payment`, {
    token: providerOrg.accessToken,
    body: { method: 'bank_transfer', reference: 'ZZ-2026-001' },
  })

  const { browser, axeSource } = await launchBrowser(t)
  const pageErrors: string[] = []
  const checked: Record<string, AxeViolation[]> = {}

  const contexts: BrowserContext[] = []
  const personPage = async (email: string, width: number): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' })
    contexts.push(context)
    const page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) pageErrors.push(msg.text())
    })
    await page.goto(`${base}/signin`)
    await page.getByLabel('电子邮箱').fill(email)
    await page.getByLabel('密码').fill(PASSWORD)
    await page.getByRole('button', { name: '登录' }).last().click()
    await page.waitForURL(`${base}/`)
    return page
  }
  t.teardown(async () => {
    for (const c of contexts) await c.close()
  })
  const capture = async (page: Page, name: string) => {
    const size = page.viewportSize()!
    await page.setViewportSize({ width: 1280, height: 900 })
    checked[name] = await seriousViolations(page, axeSource)
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-1280.png`), fullPage: true })
    await page.setViewportSize({ width: 375, height: 812 })
    checked[`${name} (375 px)`] = await seriousViolations(page, axeSource)
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-375.png`), fullPage: true })
    await page.setViewportSize(size)
  }

  const member = await personPage(emails.requester, 375)
  const host = await personPage(emails.provider, 1280)
  const mod = await personPage(emails.moderator, 1280)
  let bookingId = ''

  await t.test('the requester books a slot and follows it in my bookings', async (t) => {
    await member.goto(`${base}/listings/${listing.id}`)
    await member.getByRole('group', { name: '选择开始时间' }).waitFor()
    await member.locator('.slot').first().click()
    await member.getByLabel('人数').fill('25')
    await member.getByLabel('用途').fill('居民议事会，讨论加装电梯方案')
    await member.getByRole('button', { name: '提交预约申请' }).click()
    await member.getByText('预约已提交，当前状态：待确认。').waitFor()
    await member.getByRole('link', { name: '我的预约' }).click()
    await member.getByRole('heading', { level: 1, name: '我的预约' }).waitFor()
    const card = member.locator('li.booking', { hasText: '居民议事会' })
    await card.waitFor()
    t.equal(await card.getAttribute('data-status'), 'requested')
    const timeline = card.getByRole('list', { name: '预约进度' })
    t.equal(
      await timeline
        .locator('[aria-current="step"]')
        .textContent()
        .then((s) => s?.includes('待确认')),
      true,
    )
    t.ok(await card.getByText('¥200.00').first().isVisible(), 'the price is shown')
    bookingId = ((await card.getByRole('link', { name: '查看详情' }).getAttribute('href')) ?? '').split('/')[2] ?? ''
    t.ok(bookingId, 'the card links to the booking')
    await capture(member, 'bookings-requester')
  })

  await t.test('cancelling shows the refund first, then the refund given', async (t) => {
    const card = member.locator('li.booking', { hasText: '青年志愿者培训' })
    await card.getByRole('button', { name: '取消预约' }).click()
    const preview = card.getByText(/现在取消将退还/)
    await preview.waitFor()
    const amount = (await preview.textContent())?.match(/退还 (¥[\d,.]+)/)?.[1]
    t.ok(amount, 'the refund amount is shown')
    t.ok(await card.getByText(/取消政策：适中/).isVisible(), 'the policy table text is shown')
    await capture(member, 'booking-cancel')
    await card.getByRole('button', { name: '确认取消预约' }).click()
    await card.getByText(`预约已取消，退款 ${amount}。`).waitFor()
    t.equal(await card.getAttribute('data-status'), 'cancelled')
    const booking = await call('GET', `/v1/bookings/${toCancel.id}`, { token: requesterOrg.accessToken })
    t.equal(booking.status, 'cancelled')
  })

  await t.test('the provider accepts it in a second browser and records the offline payment', async (t) => {
    await host.getByRole('link', { name: '我的预约' }).click()
    await host.getByRole('link', { name: '我收到的' }).click()
    await host.getByRole('heading', { level: 1, name: '收到的预约' }).waitFor()
    const inbox = host.getByRole('region', { name: /待处理的申请/ })
    const card = inbox.locator('li.booking', { hasText: '居民议事会' })
    await card.waitFor()
    await capture(host, 'bookings-provider')
    // Declining asks for a reason before sending.
    await card.getByRole('button', { name: '婉拒' }).click()
    t.ok(await card.getByRole('button', { name: '确认婉拒' }).isDisabled(), 'no decline without a reason')
    await card.getByRole('button', { name: '返回' }).click()
    await card.getByRole('button', { name: '接受' }).click()
    const confirmed = host.locator(`li.booking[data-status="confirmed"]`, { hasText: '居民议事会' })
    await confirmed.waitFor()
    await confirmed.getByRole('button', { name: '登记线下收款' }).click()
    await confirmed.locator('.field-error').first().waitFor()
    await confirmed.getByLabel('收款方式').selectOption('wechat_pay')
    await confirmed.getByLabel('收款凭证号或备注').fill('微信转账 4200001234')
    await confirmed.getByRole('button', { name: '登记线下收款' }).click()
    await confirmed.getByText('已付款').waitFor()
    t.pass('accepted')
  })

  await t.test('a moderator completes it', async (t) => {
    await mod.goto(`${base}/bookings/${bookingId}`)
    await mod.getByRole('heading', { level: 1, name: '预约详情' }).waitFor()
    const card = mod.locator('li.booking')
    await card.getByRole('button', { name: '标记为已完成' }).click()
    await mod.locator('li.booking[data-status="completed"]').waitFor()
    // The detail page lists every recorded step: who took it, in order.
    const steps = mod.getByRole('region', { name: '处理记录' }).getByRole('listitem')
    await eventually(async () => (await steps.count()) === 4, 'the completion is in the history')
    const texts = await steps.allTextContents()
    t.match(texts[0], /提交预约 · 申请方/)
    t.match(texts[1], /接受预约 · 提供方/)
    t.match(texts[2], /登记线下收款 · 提供方/)
    t.match(texts[3], /标记完成 · 平台审核员/)
  })

  await t.test('both sides rate in the UI', async (t) => {
    await member.goto(`${base}/bookings/${bookingId}`)
    const form = member.locator('form.rate-form')
    await form.waitFor()
    await form.getByRole('button', { name: '提交评价' }).click()
    await form.getByText('请选择总体评分').waitFor()
    await capture(member, 'booking-rate')
    await form.getByRole('group', { name: '总体评分（1-5）' }).getByLabel('5').check()
    await form.getByRole('group', { name: '整洁' }).getByLabel('5').check()
    await form.getByLabel('文字评价（选填）').fill('会议室干净明亮，投影好用，工作人员很热情。')
    await form.getByRole('button', { name: '提交评价' }).click()
    await member.getByText(/你已评价/).waitFor()

    await host.goto(`${base}/bookings/${bookingId}`)
    const hostForm = host.locator('form.rate-form')
    await hostForm.waitFor()
    await hostForm.getByRole('group', { name: '总体评分（1-5）' }).getByLabel('4').check()
    await hostForm.getByRole('group', { name: '守时' }).getByLabel('5').check()
    await hostForm.getByLabel('文字评价（选填）').fill('准时到场，离开时把桌椅归位。')
    await hostForm.getByRole('button', { name: '提交评价' }).click()
    await eventually(async () => {
      await host.goto(`${base}/bookings/${bookingId}`)
      await host.locator('.booking-ratings').waitFor({ timeout: 5000 })
      return (await host.getByText('会议室干净明亮').count()) > 0
    }, 'both ratings are published')
    t.pass('both rated')
  })

  await t.test('the rating shows on the listing page', async (t) => {
    await eventually(async () => {
      await member.goto(`${base}/listings/${listing.id}`)
      await member.getByRole('heading', { level: 2, name: '评价' }).waitFor({ timeout: 5000 })
      await member.locator('.rating, .empty').first().waitFor({ timeout: 5000 })
      return (await member.getByText('会议室干净明亮，投影好用，工作人员很热情。').count()) > 0
    }, 'the rating is listed on the listing page')
    t.ok(await member.getByRole('img', { name: '5 分（满分 5 分）' }).first().isVisible())
    await capture(member, 'listing-rated')
  })

  await t.test('the provider replies to the rating in public', async (t) => {
    await host.goto(`${base}/listings/${listing.id}`)
    const item = host.locator('.rating', { hasText: '会议室干净明亮' })
    await item.waitFor()
    await item.getByRole('button', { name: '发布回复' }).click()
    await item.getByText('请先写下回复内容').waitFor()
    await item.getByLabel('公开回复这条评价').fill('感谢认可，欢迎再来！')
    await item.getByRole('button', { name: '发布回复' }).click()
    await item.getByText('感谢认可，欢迎再来！').waitFor()
    t.equal(await item.getByLabel('公开回复这条评价').count(), 0, 'one reply per rating')
  })

  await t.test('the provider public profile shows reputation, ratings, listings and the ledger chart', async (t) => {
    await member.getByRole('link', { name: '花木街道党群服务中心' }).click()
    await member.waitForURL(`${base}/profiles/${providerOrg.organization.id}`)
    await member.getByRole('heading', { level: 1, name: /花木街道党群服务中心/ }).waitFor()
    await eventually(async () => {
      await member.reload()
      await member.getByRole('heading', { level: 2, name: '每月共享时长' }).waitFor({ timeout: 5000 })
      await member.locator('.ledger-chart, .empty').first().waitFor({ timeout: 5000 })
      return (await member.locator('.ledger-chart svg rect.bar').count()) > 0
    }, 'the ledger counts the completed booking')
    t.ok(await member.getByText('会议室干净明亮，投影好用，工作人员很热情。').isVisible(), 'its ratings are listed')
    t.ok(await member.getByText('感谢认可，欢迎再来！').isVisible(), 'with the reply')
    t.ok(await member.getByRole('link', { name: '党群服务中心多功能会议室' }).isVisible(), 'its listings are listed')
    t.ok(await member.getByRole('heading', { level: 3, name: '作为提供方' }).isVisible(), 'reputation as provider')
    t.ok(await member.getByRole('heading', { level: 3, name: '作为使用方' }).isVisible(), 'reputation as requester')
    t.ok(await member.getByRole('heading', { level: 2, name: '志愿时间积分' }).isVisible())
    await capture(member, 'profile')
  })

  await t.test('the platform ledger page offers a CSV download', async (t) => {
    await member.getByRole('link', { name: '公开台账' }).click()
    await member.getByRole('heading', { level: 1, name: '公开使用台账' }).waitFor()
    await member.locator('.ledger-chart').waitFor()
    const href = await member.getByRole('link', { name: '下载 CSV' }).getAttribute('href')
    t.equal(href, '/v1/ledger?format=csv')
    const csv = await fetch(`${base}${href}`)
    t.equal(csv.status, 200)
    t.match(csv.headers.get('content-type') ?? '', /text\/csv/)
    await capture(member, 'ledger')
  })

  await t.test('a moderator verifies an organization, reads the audit log and hides a reported rating', async (t) => {
    const ratings = await call('GET', `/v1/ratings?organizationId=${requesterOrg.organization.id}&role=requester`)
    t.equal(ratings.items.length, 1, 'the provider rating of the requester is published')
    // The requesting group reports the provider's rating of it, from the booking page.
    await member.goto(`${base}/bookings/${bookingId}`)
    const aboutUs = member.locator('.rating', { hasText: '准时到场' })
    await aboutUs.waitFor()
    const ours = member.locator('.rating', { hasText: '会议室干净明亮' })
    t.equal(await ours.getByRole('button', { name: '举报这条评价' }).count(), 0, 'nobody reports their own rating')
    await aboutUs.getByRole('button', { name: '举报这条评价' }).click()
    await aboutUs.getByRole('button', { name: '提交举报' }).click()
    await aboutUs.getByText('请写下举报理由').waitFor()
    await aboutUs.getByLabel('举报理由（审核员会看到）').fill('评价内容与事实不符')
    await aboutUs.getByRole('button', { name: '提交举报' }).click()
    await aboutUs.getByText('已举报，审核员会尽快处理。').waitFor()

    await mod.goto(`${base}/profiles/${requesterOrg.organization.id}`)
    await mod.getByRole('heading', { level: 1, name: /联洋社区青年志愿者协会/ }).waitFor()
    await mod.getByRole('button', { name: '认证此组织' }).click()
    await mod.getByText('已认证。此组织的资源今后无需审核即可发布。').waitFor()

    await mod.getByRole('link', { name: '审核', exact: true }).click()
    await mod.getByRole('heading', { level: 1, name: '审核队列' }).waitFor()
    await mod.getByText('没有待审核的资源').waitFor()
    await mod.getByRole('link', { name: '操作记录' }).click()
    await mod.getByRole('cell', { name: '认证组织' }).waitFor()
    t.ok(await mod.getByRole('cell', { name: '通过资源' }).isVisible(), 'the approval is logged')
    await capture(mod, 'moderation-audit')

    await mod.getByRole('link', { name: '被举报的评价' }).click()
    const report = mod.locator('.card', { hasText: '评价内容与事实不符' })
    await report.waitFor()
    await capture(mod, 'moderation-reports')
    t.ok(await report.getByRole('button', { name: '隐藏这条评价' }).isDisabled(), 'a reason comes first')
    await report.getByLabel('隐藏原因（会记录在操作记录中）').fill('经核实，评价与事实不符')
    await report.getByRole('button', { name: '隐藏这条评价' }).click()
    await mod.getByText('已隐藏 1 条评价。').waitFor()
    const after = await call('GET', `/v1/ratings?organizationId=${requesterOrg.organization.id}&role=requester`)
    t.equal(after.items.length, 0, 'the hidden rating left the public list')

    await mod.getByRole('link', { name: '已隐藏的评价' }).click()
    const hidden = mod.locator('.card', { hasText: '准时到场' })
    await hidden.waitFor()
    t.ok(await hidden.getByText(/原因：经核实，评价与事实不符/).isVisible(), 'moderators see why it was hidden')
    await capture(mod, 'moderation-hidden')
    await hidden.getByLabel('恢复原因（会记录在操作记录中）').fill('复核后认为评价属实')
    await hidden.getByRole('button', { name: '恢复显示' }).click()
    await mod.getByText('已恢复 1 条评价。').waitFor()
    const restored = await call('GET', `/v1/ratings?organizationId=${requesterOrg.organization.id}&role=requester`)
    t.equal(restored.items.length, 1, 'the restored rating is public again')
    await mod.getByRole('link', { name: '操作记录' }).click()
    const ratingAudit = mod.getByRole('region', { name: '评价处理记录' }).getByRole('listitem')
    await ratingAudit.first().waitFor()
    const lines = await ratingAudit.allTextContents()
    t.match(lines[0], /恢复评价.*复核后认为评价属实/, 'the restore is logged, newest first')
    t.match(lines[1], /隐藏评价.*经核实，评价与事实不符/, 'and the hide before it')
  })

  await t.test('a need posted by the requester shows providers that their listing fits it', async (t) => {
    const day = new Date(Date.now() + 3 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    await member.goto(`${base}/needs`)
    await member.getByText('发布需求', { exact: true }).click()
    await member.getByLabel('标题').fill('社区议事会需要一间会议室')
    await member.getByLabel('区', { exact: true }).fill('浦东新区')
    await member.getByLabel('开始时间').fill(`${day}T14:00`)
    await member.getByLabel('结束时间').fill(`${day}T16:00`)
    await member.getByLabel('人数').fill('20')
    await member.getByLabel('预算（元，选填）').fill('300')
    await member.getByRole('button', { name: '发布', exact: true }).click()
    const posted = member.locator('li.card', { hasText: '社区议事会需要一间会议室' })
    await posted.waitFor()
    t.ok(await posted.getByText('预算 ¥300.00').isVisible(), 'the budget is part of the need')

    const fits = host.locator('li.card', { hasText: '社区议事会需要一间会议室' })
    await eventually(async () => {
      await host.goto(`${base}/needs?view=fits`)
      await host.getByRole('link', { name: '适合我的资源', exact: true }).waitFor()
      await host.locator('li.card, .empty').first().waitFor()
      return (await fits.count()) > 0
    }, 'the need reaches discovery and matches the listing')
    t.ok(
      await fits.getByRole('link', { name: '党群服务中心多功能会议室' }).isVisible(),
      'the provider sees which of its listings fits',
    )
    await capture(host, 'needs-fits')
  })

  await t.test('search suggests as you type, filters by availability window and by distance from you', async (t) => {
    await eventually(async () => {
      const res = await call('GET', `/v1/suggest?q=${encodeURIComponent('会议')}`)
      return res.listings.length > 0
    }, 'the listing reaches the suggestions')
    const context = mod.context()
    await context.grantPermissions(['geolocation'], { origin: base })
    await context.setGeolocation({ latitude: 31.2201, longitude: 121.5402 })
    await mod.goto(`${base}/`)
    const box = mod.getByRole('combobox', { name: '搜索资源' })
    await box.fill('会议')
    const option = mod
      .getByRole('listbox', { name: '搜索建议' })
      .getByRole('option')
      .filter({ hasText: '党群服务中心多功能会议室' })
    await option.waitFor()
    t.equal(await box.getAttribute('aria-expanded'), 'true')
    await capture(mod, 'search-suggest')
    await box.press('ArrowDown')
    t.equal(await box.getAttribute('aria-activedescendant'), 'q-opt-0')
    await box.press('Enter')
    await mod.waitForURL(`${base}/listings/${listing.id}`)

    await mod.goto(`${base}/search?q=${encodeURIComponent('会议室')}`)
    await mod.locator('.listing-card', { hasText: '党群服务中心多功能会议室' }).waitFor()
    await mod.getByLabel('范围').selectOption('3')
    await mod.getByRole('button', { name: '使用我的位置' }).click()
    await mod.waitForURL(/near=31\.22010%2C121\.54020|near=31\.22010,121\.54020/)
    await mod
      .locator('.listing-card', { hasText: '党群服务中心多功能会议室' })
      .filter({ hasText: /\d 公里/ })
      .waitFor()
    t.pass('the card shows the distance')
    await mod.getByText('只看你附近 3 公里内的资源').waitFor()

    const start = new Date(Date.now() + 3 * 86_400_000)
    const local = (d: Date) => {
      const shanghai = new Date(d.getTime() + 8 * 3600_000)
      return `${shanghai.toISOString().slice(0, 10)}T10:00`
    }
    await mod.getByLabel('到', { exact: true }).fill(local(new Date(start.getTime() - 86_400_000)))
    await mod.getByLabel('到', { exact: true }).dispatchEvent('change')
    await mod.getByLabel('从', { exact: true }).fill(local(start))
    await mod.getByLabel('从', { exact: true }).dispatchEvent('change')
    await mod.getByText('结束时间要晚于开始时间').waitFor()
    // Open 08:00-22:00: a window running to 23:30 finds nothing, one from 10:00 to 12:00 finds the room.
    await mod.getByLabel('到', { exact: true }).fill(local(start).replace('T10:00', 'T23:30'))
    await mod.getByLabel('到', { exact: true }).dispatchEvent('change')
    await mod.waitForURL(/to=[^&]*T23%3A30/)
    await mod.getByText('没有找到符合条件的资源').waitFor()
    await mod.getByLabel('到', { exact: true }).fill(local(start).replace('T10:00', 'T12:00'))
    await mod.getByLabel('到', { exact: true }).dispatchEvent('change')
    await mod.waitForURL(/to=[^&]*T12%3A00/)
    // The room is free from 10:00 to 12:00 that day and lies within 3 km: it is still found.
    await mod
      .locator('.card-grid:not(.is-stale) .listing-card', { hasText: '党群服务中心多功能会议室' })
      .filter({ hasText: /\d 公里/ })
      .waitFor()
    await capture(mod, 'search-filters')
    t.pass('the window and distance filters are in the URL')
  })

  await t.test('axe-core finds no serious or critical violation on the new pages', async (t) => {
    for (const [name, violations] of Object.entries(checked)) {
      t.same(
        violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
        [],
        name,
      )
    }
  })

  await t.test('no script errors in the pages', async (t) => {
    t.same(pageErrors, [])
  })
})
