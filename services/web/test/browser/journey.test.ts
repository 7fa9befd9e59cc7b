/**
 * The booking journey in a real browser, one browser context per person: the requester books and cancels
 * (seeing the refund first), the provider accepts and records the offline payment in a second context, a
 * moderator completes the booking in a third (offered only once it has begun, and confirmed in a dialog),
 * both sides rate in the UI, the published rating shows on the listing page and the provider replies; then
 * the public profile, the ledger page (CSV), moderation (verify, audit log, reported rating hidden) and
 * search (suggestions, near me, availability window).
 * axe-core on each new page; screenshots at 375 and 1280 px under test-results/screenshots/.
 * The listing and organizations are set up through the API (the listing form is covered by ui.test.ts).
 */
import t from 'tap'
import { startTestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import { searchSteps } from './journey-search.ts'
import { PASSWORD, setUpJourney } from './journey-setup.ts'
import {
  BROWSER_TEST_TIMEOUT,
  CHROMIUM,
  describeViolations,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  screenshotter,
  signedInPage,
} from './support.ts'

t.setTimeout(BROWSER_TEST_TIMEOUT)

t.test('the booking journey across three browser contexts', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  const stack = await startTestStack(t)
  const { base } = stack
  const { call, emails, providerOrg, requesterOrg, listing, toCancel } = await setUpJourney(stack)

  const { browser, axeSource } = await launchBrowser(t)
  const pageErrors: string[] = []
  const { capture, checked } = screenshotter(axeSource)

  const personPage = (email: string, width: number) =>
    signedInPage(t, browser, { base, email, password: PASSWORD, width, errors: pageErrors })
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
    t.equal(await confirmed.getByRole('button', { name: '标记为已完成' }).count(), 0, 'not completed before it starts')
    t.equal(await confirmed.getByRole('button', { name: '标记为未到场' }).count(), 0, 'no no-show before it starts')
    t.ok(await confirmed.getByText('预约开始后，才能标记为已完成或未到场。').isVisible(), 'says when it can be')
    await confirmed.getByRole('button', { name: '登记线下收款' }).click()
    await confirmed.locator('.field-error').first().waitFor()
    await confirmed.getByLabel('收款方式').selectOption('wechat_pay')
    await confirmed.getByLabel('收款凭证号或备注').fill('微信转账 4200001234')
    await confirmed.getByRole('button', { name: '登记线下收款' }).click()
    await confirmed.getByText('已付款').waitFor()
    t.pass('accepted')
  })

  await t.test('a moderator completes it once it has begun, after confirming', async (t) => {
    await mod.goto(`${base}/bookings/${bookingId}`)
    await mod.getByRole('heading', { level: 1, name: '预约详情' }).waitFor()
    const card = mod.locator('li.booking')
    await card.getByRole('button', { name: '取消预约' }).waitFor()
    t.equal(await card.getByRole('button', { name: '标记为已完成' }).count(), 0, 'not even a moderator, before')

    await stack.beginBooking(bookingId)
    await mod.reload()
    const complete = card.getByRole('button', { name: '标记为已完成', exact: true })
    await complete.click()
    const ask = mod.getByRole('dialog', { name: '确认这次预约已经完成？' })
    await ask.getByText(/计入公开台账/).waitFor()
    await capture(mod, 'booking-complete-confirm')
    await ask.getByRole('button', { name: '返回' }).click()
    await ask.waitFor({ state: 'hidden' })
    const unchanged = await call('GET', `/v1/bookings/${bookingId}`, { token: requesterOrg.accessToken })
    t.equal(unchanged.status, 'confirmed', 'backing out sends nothing')

    await card.getByRole('button', { name: '标记为未到场' }).click()
    const noShow = mod.getByRole('dialog', { name: '确认对方没有到场？' })
    await noShow.getByRole('button', { name: '确认未到场' }).waitFor()
    await mod.keyboard.press('Escape')
    await noShow.waitFor({ state: 'hidden' })

    await mod.getByLabel('语言').selectOption('en')
    await card.getByRole('button', { name: 'Mark as completed', exact: true }).click()
    const askEn = mod.getByRole('dialog', { name: 'Mark this booking as completed?' })
    await askEn.getByText(/public ledger/).waitFor()
    await askEn.getByRole('button', { name: 'Back' }).click()
    await mod.getByLabel('Language').selectOption('zh-CN')

    await complete.click()
    await ask.getByRole('button', { name: '确认已完成' }).click()
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
    // The ratings load beside the ledger, not after it: wait for them rather than look once.
    await member.getByText('会议室干净明亮，投影好用，工作人员很热情。').waitFor()
    t.pass('its ratings are listed')
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
    // Verification cannot be undone: the moderator sees the organization's details and confirms.
    const confirm = mod.getByRole('dialog', { name: '确认认证这个组织？' })
    await confirm.getByText('联洋社区青年志愿者协会').waitFor()
    t.ok(await confirm.getByText('青年', { exact: false }).first().isVisible(), 'its kind is shown')
    await confirm.getByRole('button', { name: '确认认证' }).click()
    await mod.getByText('已认证。此组织的资源今后无需审核即可发布。').waitFor()

    await mod.getByRole('link', { name: '审核', exact: true }).click()
    await mod.getByRole('heading', { level: 1, name: '审核队列' }).waitFor()
    await mod.getByText('没有待审核的资源').waitFor()
    await mod.getByRole('link', { name: '操作记录' }).click()
    await mod.getByRole('cell', { name: '认证组织' }).waitFor()
    t.ok(await mod.getByRole('cell', { name: '通过资源' }).isVisible(), 'the approval is logged')
    t.ok(
      await mod.getByRole('cell').getByRole('link', { name: '联洋社区青年志愿者协会' }).first().isVisible(),
      'the audit log names the organization, linked to its page',
    )
    t.ok(
      await mod.getByRole('cell').getByRole('link', { name: '党群服务中心多功能会议室' }).first().isVisible(),
      'and the listing by its title',
    )
    await capture(mod, 'moderation-audit')

    await mod.getByRole('link', { name: '被举报的评价' }).click()
    const report = mod.locator('.card', { hasText: '评价内容与事实不符' })
    await report.waitFor()
    await capture(mod, 'moderation-reports')
    t.ok(await report.getByText('准时到场').first().isVisible(), 'the report shows the rating it is about')
    t.ok(await report.getByRole('link', { name: '党群服务中心多功能会议室' }).isVisible(), 'and the booking')
    t.ok(await report.getByRole('button', { name: '驳回举报' }).isVisible(), 'dismissing sits beside hiding')
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

  await searchSteps(t, { base, call, mod, listing, capture })

  await t.test('axe-core finds no serious or critical violation on the new pages', async (t) => {
    for (const [name, violations] of Object.entries(checked)) {
      t.same(describeViolations(violations), [], name)
    }
  })

  await t.test('no script errors in the pages', async (t) => {
    t.same(pageErrors, [])
  })
})
