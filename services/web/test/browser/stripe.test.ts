/**
 * Paying online in a real browser when Stripe is configured: the whole stack runs with the real `stripe` SDK
 * against the Stripe-compatible test server, which also serves the Stripe.js double the pay page loads (Stripe's
 * own script is only on js.stripe.com) and delivers signed webhooks to the web entry point, as Stripe does.
 * The requester books a paid listing with a deposit, a declined card is refused with a readable message, a
 * good card authorises both parts, and the booking moves on when the webhook arrives.
 */
import path from 'node:path'
import { startStripeServer, TEST_CARDS } from '@commons/testkit'
import t from 'tap'
import { startTestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import { everyDay, PASSWORD, publishListing, signUpModerator, strictCall } from './journey-setup.ts'
import {
  BROWSER_TEST_TIMEOUT,
  CHROMIUM,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  SCREENSHOTS,
  seriousViolations,
} from './support.ts'

const SECRET_KEY = 'sk_test_commons_browser'
const PUBLISHABLE_KEY = 'pk_test_commons_browser'
const WEBHOOK_SECRET = 'whsec_commons_browser_test'

t.setTimeout(BROWSER_TEST_TIMEOUT)

t.test('paying a booking online with Stripe', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  const stripe = await startStripeServer({ secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY })
  t.teardown(() => stripe.close())
  const stack = await startTestStack(t, {
    STRIPE_SECRET_KEY: SECRET_KEY,
    STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: stripe.url,
    STRIPE_JS_URL: stripe.stripeJsUrl,
  })
  const { base } = stack
  // Through the entry point, byte for byte, as Stripe would reach the marketplace.
  stripe.deliverWebhooks({ url: `${base}/v1/webhooks/stripe`, secret: WEBHOOK_SECRET })

  const call = strictCall(stack)
  const stamp = Date.now()
  const emails = {
    provider: `zhou+${stamp}@example.org`,
    requester: `chen+${stamp}@example.org`,
    moderator: `wu+${stamp}@example.org`,
  }
  const provider = await stack.signUp({ email: emails.provider, password: PASSWORD, displayName: '周站长' })
  const requester = await stack.signUp({ email: emails.requester, password: PASSWORD, displayName: '陈会长' })
  // A moderator of no organization here: moderators do not judge their own organization's listings.
  const moderator = await signUpModerator(stack, emails.moderator, '吴审核')
  const providerOrg = await call('POST', '/v1/organizations', {
    token: provider.accessToken,
    body: { name: '南山区青年创新服务站', kind: 'youth_league', district: '南山区', city: '深圳' },
  })
  await call('POST', '/v1/organizations', {
    token: requester.accessToken,
    body: { name: '粤海街道书画协会', kind: 'social_organization', district: '南山区', city: '深圳' },
  })
  const allDay = [{ start: '08:00', end: '22:00' }]
  const listing = await publishListing(call, providerOrg, moderator.accessToken, {
    kind: 'venue',
    title: '青年创新服务站路演厅',
    description: '80 座路演厅，配 LED 屏和音响，适合讲座与展演。',
    location: { city: '深圳', district: '南山区', address: '科苑路 15 号', lat: 22.5431, lng: 113.9469 },
    capacity: 80,
    amenities: ['projector', 'sound_system'],
    pricing: {
      model: 'fee',
      unit: 'booking',
      price: { amount: 30_000, currency: 'CNY' },
      deposit: { amount: 50_000, currency: 'CNY' },
    },
    rules: { mode: 'request', minNoticeHours: 1, cancellationPolicy: 'flexible' },
    availability: everyDay(allDay),
  })
  await eventually(async () => {
    const from = new Date(Date.now() + 2 * 3600_000).toISOString()
    const to = new Date(Date.now() + 7 * 86_400_000).toISOString()
    return (await call('GET', `/v1/availability/${listing.id}?from=${from}&to=${to}`)).slots.length > 0
  }, 'bookings knows the listing')

  const { browser, axeSource } = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (msg) => {
    // The declined card's 402 is an expected failed request.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) pageErrors.push(msg.text())
  })
  await page.goto(`${base}/signin`)
  await page.getByRole('button', { name: '邮箱密码' }).click()
  await page.getByLabel('电子邮箱').fill(emails.requester)
  await page.getByLabel('密码').fill(PASSWORD)
  await page.getByRole('button', { name: '登录' }).last().click()
  await page.waitForURL(`${base}/`)

  let bookingId = ''
  await t.test('a paid booking waits for payment', async (t) => {
    await page.goto(`${base}/listings/${listing.id}`)
    await page.getByRole('group', { name: '选择开始时间' }).waitFor()
    await page.locator('.slot').first().click()
    await page.getByLabel('人数').fill('40')
    await page.getByLabel('用途').fill('书画作品分享会')
    await page.getByRole('button', { name: '提交预约申请' }).click()
    await page.getByText('预约已提交，当前状态：待付款。').waitFor()
    await page.goto(`${base}/bookings`)
    const card = page.locator('li.booking', { hasText: '书画作品分享会' })
    await card.waitFor()
    t.equal(await card.getAttribute('data-status'), 'pending_payment')
    t.ok(await card.getByRole('link', { name: '青年创新服务站路演厅' }).isVisible(), 'the card names the listing')
    bookingId = ((await card.getByRole('link', { name: '查看详情' }).getAttribute('href')) ?? '').split('/')[2] ?? ''
    t.ok(bookingId)
  })

  await t.test('a declined card is refused in words; a good card authorises the fee and the deposit', async (t) => {
    await page.goto(`${base}/bookings/${bookingId}`)
    const card = page.locator('li.booking')
    await card.getByRole('button', { name: '在线支付 ¥800.00' }).click()
    const number = card.getByLabel('卡号 Card number')
    await number.waitFor()
    t.ok(await card.getByText('另需押金 ¥500.00').isVisible(), 'the deposit is explained before paying')
    t.same(
      await seriousViolations(page, axeSource),
      [],
      'no serious or critical accessibility violation on the pay form',
    )
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stripe-pay-375.png'), fullPage: true })

    await number.fill(TEST_CARDS.declined)
    await card.getByRole('button', { name: '确认支付' }).click()
    await card.getByText('银行卡未通过，请换一张卡再试。').waitFor()
    t.equal(await card.getAttribute('data-status'), 'pending_payment', 'still waiting for payment')

    await number.fill(TEST_CARDS.visa)
    await card.getByRole('button', { name: '确认支付' }).click()
    await page.locator('li.booking[data-status="requested"]').waitFor({ timeout: 30_000 })
    t.ok(await page.getByText('已授权').first().isVisible(), 'the payment shows as authorised')

    const booking = await call('GET', `/v1/bookings/${bookingId}`, {
      token: (await call('POST', '/v1/auth/login', { body: { email: emails.requester, password: PASSWORD } }))
        .accessToken,
    })
    t.equal(booking.status, 'requested')
    t.equal(booking.paymentStatus, 'authorized')
    const intents = [...stripe.intents.values()].filter((i) => i.metadata.booking_id === bookingId)
    t.same(intents.map((i) => i.status).sort(), ['requires_capture', 'requires_capture'], 'both parts are held')
    t.same(intents.map((i) => i.amount).sort(), [30_000, 50_000])

    const steps = page.getByRole('region', { name: '处理记录' }).getByRole('listitem')
    await eventually(async () => (await steps.count()) >= 2, 'the authorisation is in the history')
    t.match((await steps.allTextContents()).join('\n'), /付款授权成功 · 系统/)
  })

  await t.test('cancelling before capture says the hold is released', async (t) => {
    const card = page.locator('li.booking')
    await card.getByRole('button', { name: '取消预约' }).click()
    await card.getByText('尚未扣款：取消后银行卡上的预授权会释放。').waitFor()
    await card.getByRole('button', { name: '确认取消预约' }).click()
    await page.locator('li.booking[data-status="cancelled"]').waitFor()
    await eventually(
      async () =>
        [...stripe.intents.values()]
          .filter((i) => i.metadata.booking_id === bookingId)
          .every((i) => i.status === 'canceled'),
      'both authorisations are let go',
    )
    t.pass('released')
  })

  t.same(pageErrors, [], 'no script errors')
})
