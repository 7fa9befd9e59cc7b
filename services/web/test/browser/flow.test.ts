/**
 * The booking flow between two people at phone width (375 px): a visitor picks a slot, signs in from
 * "登录后预约" with a texted code and comes back to the same slot, books, lands on the result page, and
 * sees the provider's contacts once the provider (also on a phone) accepted; before that, names only.
 * Then a need: posting confirms and collapses the form, 我的需求 closes it.
 */
import t from 'tap'
import { startTestStack, type TestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import { PASSWORD, setUpJourney } from './journey-setup.ts'
import {
  BROWSER_TEST_TIMEOUT,
  CHROMIUM,
  collectErrors,
  describeViolations,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  screenshotter,
  shanghaiDate,
  signedInPage,
} from './support.ts'

t.setTimeout(BROWSER_TEST_TIMEOUT)

const PROVIDER_MOBILE = '13912345678'
const REQUESTER_MOBILE = '13687654321'

/** The newest sign-in code texted to `phone`, from the development SMS channel's line in the stack's log. */
async function codeFromLog(stack: TestStack, phone: string, after = 0): Promise<string> {
  let code = ''
  await eventually(async () => {
    const lines = stack
      .output()
      .split('\n')
      .filter((l) => l.includes(`DEV SMS`) && l.includes(`to ${phone}:`))
    if (lines.length <= after) return false
    code = /验证码 (\d{6})/.exec(lines[lines.length - 1]!)?.[1] ?? ''
    return code !== ''
  }, `a code texted to ${phone} appears in the log`)
  return code
}
const codesSent = (stack: TestStack, phone: string) =>
  stack
    .output()
    .split('\n')
    .filter((l) => l.includes('DEV SMS') && l.includes(`to ${phone}:`)).length

t.test('the booking flow on a phone', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  const stack = await startTestStack(t, { PHONE_CODE_RESEND_SECONDS: '1' })
  const { base } = stack
  const { call, emails, providerOrg, requesterOrg, requester, listing } = await setUpJourney(stack)
  await call('PUT', `/v1/organizations/${providerOrg.organization.id}/contacts`, {
    token: providerOrg.accessToken,
    body: { contactPerson: '张主任', mobile: '139 1234 5678', wechatId: 'zhang_huamu' },
  })
  await call('PUT', `/v1/organizations/${requesterOrg.organization.id}/contacts`, {
    token: requesterOrg.accessToken,
    body: { contactPerson: '李书记', mobile: REQUESTER_MOBILE },
  })
  await call('PUT', `/v1/listings/${listing.id}/private-details`, {
    token: providerOrg.accessToken,
    body: { arrivalNotes: '从东门进，二楼左转', paymentTerms: '到场后微信支付给张主任' },
  })
  // The requester's number signs their account in from now on.
  await call('POST', '/v1/auth/phone/code', { body: { phone: REQUESTER_MOBILE } })
  await call('PUT', '/v1/me/phone', {
    token: requester.accessToken,
    body: { phone: REQUESTER_MOBILE, code: await codeFromLog(stack, REQUESTER_MOBILE) },
  })

  const { browser, axeSource } = await launchBrowser(t)
  const pageErrors: string[] = []
  const { capture, checked } = screenshotter(axeSource)
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' })
  t.teardown(() => context.close())
  const member = await context.newPage()
  collectErrors(member, pageErrors)
  let bookingId = ''

  await t.test('signing in from 登录后预约 comes back to the listing with the slot still chosen', async (t) => {
    await member.goto(`${base}/listings/${listing.id}`)
    await member.getByRole('group', { name: '选择开始时间' }).waitFor()
    // Tomorrow, whose hours are all ahead: the strip opens on today, which late in the day has fewer than three.
    await member.locator(`.date-chip[data-date="${shanghaiDate(1)}"]`).click()
    const slot = member.locator('.slot').nth(2)
    const chosen = await slot.locator('input').getAttribute('value')
    await slot.click()
    await member.getByRole('link', { name: '登录后预约' }).click()
    await member.waitForURL(/\/signin\?next=/)
    await member.getByLabel('手机号').fill('136 8765 4321')
    const before = codesSent(stack, REQUESTER_MOBILE)
    await member.getByRole('button', { name: '获取验证码' }).click()
    await member.getByText('验证码已发送，5 分钟内有效。').waitFor()
    await member.getByLabel('验证码').fill(await codeFromLog(stack, REQUESTER_MOBILE, before))
    await capture(member, 'signin-phone')
    await member.getByRole('button', { name: '登录', exact: true }).click()
    await member.waitForURL((url) => url.pathname === `/listings/${listing.id}`)
    await member.getByLabel('用途').waitFor()
    t.equal(await member.locator('.slot.is-chosen input').getAttribute('value'), chosen, 'the same slot is chosen')
  })

  await t.test('booking leads to a result page: number, time, what happens next, 查看预约', async (t) => {
    await member.getByLabel('人数').fill('18')
    await member.getByLabel('用途').fill('楼组长会议，商量垃圾分类值班')
    await member.getByRole('button', { name: '提交预约申请' }).click()
    await member.waitForURL(/\/bookings\/[0-9a-f-]+\/booked$/)
    bookingId = new URL(member.url()).pathname.split('/')[2]!
    await member.getByRole('heading', { level: 1, name: '预约已提交' }).waitFor()
    await member.getByText('预约已提交，当前状态：待确认。').waitFor()
    const number = await member.locator('.booking-number').textContent()
    t.equal(number, bookingId.replace(/-/g, '').slice(-8).toUpperCase(), 'the booking number is shown')
    t.ok(await member.getByText(/等待 花木街道党群服务中心 确认。对方会在 .+ 前答复/).isVisible(), 'by when')
    t.notOk((await member.content()).includes(PROVIDER_MOBILE), 'no contacts before confirmation')
    await capture(member, 'booking-result')
    await member.getByRole('link', { name: '查看预约' }).click()
    await member.getByRole('heading', { level: 1, name: '预约详情' }).waitFor()
    await member.getByText('预约确认后，双方可以看到彼此的联系人、电话、地址和付款方式。').waitFor()
    const steps = member.getByRole('list', { name: '预约进度' }).getByRole('listitem')
    // The history loads beside the booking: wait for its last step before reading them.
    await steps.nth(2).waitFor()
    t.same(await steps.allTextContents().then((s) => s.map((x) => x.replace(/\d.*$/, ''))), [
      '待确认',
      '已确认',
      '已完成',
    ])
  })

  await t.test('the provider sees who asks and why on a phone, accepts, and gets their contacts', async (t) => {
    const host = await signedInPage(t, browser, {
      base,
      email: emails.provider,
      password: PASSWORD,
      width: 375,
      errors: pageErrors,
    })
    await host.getByRole('link', { name: '我的预约' }).click()
    // Requests wait for an answer, so 我的预约 opens on the received side.
    await host.getByRole('heading', { level: 1, name: '收到的预约' }).waitFor()
    const card = host.getByRole('region', { name: /待处理的申请/ }).locator('li.booking', { hasText: '楼组长会议' })
    await card.waitFor()
    t.ok(await card.getByText('联洋社区青年志愿者协会 · 预约人 李书记').isVisible(), 'org and booker')
    t.notOk((await card.textContent())?.includes(REQUESTER_MOBILE), 'no number before accepting')
    await capture(host, 'inbox-phone')
    await card.getByRole('button', { name: '接受' }).click()
    const confirmed = host.locator('li.booking[data-status="confirmed"]', { hasText: '楼组长会议' })
    await confirmed.getByRole('link', { name: REQUESTER_MOBILE }).waitFor()
    t.ok(await confirmed.getByText('李书记 ·').first().isVisible(), 'the contact person')
  })

  await t.test('the member then sees the contact, the address, arrival notes and payment terms', async (t) => {
    const card = member.locator('li.booking')
    // The organization's contacts and the listing's arrival details reach bookings as separate events of
    // the listings feed, so one may show before the other: wait for both, as a member would reload.
    await eventually(async () => {
      await member.reload()
      await member.getByRole('heading', { level: 1, name: '预约详情' }).waitFor()
      return (
        (await member.getByRole('link', { name: PROVIDER_MOBILE }).count()) > 0 &&
        (await card.getByText('从东门进，二楼左转').count()) > 0
      )
    }, 'the booking shows the provider contact and the arrival notes')
    t.ok(await card.getByText('花木路 1000 号').isVisible(), 'the address')
    t.ok(await card.getByText('从东门进，二楼左转').isVisible(), 'arrival notes')
    t.ok(await card.getByText('到场后微信支付给张主任').isVisible(), 'payment terms')
    t.ok(await card.getByText(/微信 zhang_huamu/).isVisible(), 'the WeChat ID')
    await capture(member, 'booking-confirmed-contacts')
  })

  await t.test('posting a need confirms and collapses the form; 我的需求 closes it', async (t) => {
    const day = new Date(Date.now() + 5 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    await member.goto(`${base}/needs`)
    await member.getByText('发布需求', { exact: true }).click()
    await member.getByLabel('标题').fill('寻找能讲垃圾分类的志愿讲师')
    await member.getByLabel('区', { exact: true }).fill('浦东新区')
    await member.getByLabel('开始时间').fill(`${day}T14:00`)
    await member.getByLabel('结束时间').fill(`${day}T16:00`)
    await member.getByRole('button', { name: '发布', exact: true }).dblclick()
    await member.getByText('需求“寻找能讲垃圾分类的志愿讲师”已发布，已出现在需求广场。').waitFor()
    t.equal(await member.locator('details.card').first().getAttribute('open'), null, 'the form is collapsed')
    t.equal(await member.getByLabel('标题').inputValue(), '', 'and emptied')
    const board = member.locator('li.card', { hasText: '寻找能讲垃圾分类的志愿讲师' })
    await board.first().waitFor()
    t.equal(await board.count(), 1, 'one need for a double tap')
    t.ok(await board.getByText('联洋社区青年志愿者协会').isVisible(), 'the board shows who posted')
    await member.getByRole('link', { name: '我的需求' }).first().click()
    const mine = member.locator('li.card', { hasText: '寻找能讲垃圾分类的志愿讲师' })
    await mine.getByRole('button', { name: '关闭需求' }).click()
    await member.getByRole('dialog', { name: '关闭这个需求？' }).getByRole('button', { name: '确认关闭' }).click()
    await mine.getByText('已关闭').waitFor()
    await capture(member, 'my-needs')
  })

  await t.test('a 429 on refreshing the session waits for Retry-After and retries, not signing out', async (t) => {
    // The entry point answers the first refresh with 429 (as its rate limit would); the retry reaches it.
    let calls = 0
    await member.route('**/v1/auth/refresh', async (route) => {
      calls += 1
      if (calls > 1) return route.continue()
      return route.fulfill({
        status: 429,
        headers: { 'retry-after': '1', 'content-type': 'application/problem+json' },
        body: JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, code: 'rate_limited' }),
      })
    })
    await member.goto(`${base}/bookings`)
    await member.getByRole('heading', { level: 1, name: '我的预约' }).waitFor()
    t.ok(await member.getByRole('button', { name: '退出' }).isVisible(), 'still signed in')
    t.equal(calls, 2, 'refreshed again after the wait')
    await member.unroute('**/v1/auth/refresh')
  })

  await t.test('no page errors and no serious accessibility violation', async (t) => {
    t.same(pageErrors, [])
    const failures = Object.entries(checked).flatMap(([page, v]) => describeViolations(v).map((d) => `${page}: ${d}`))
    t.same(failures, [])
  })
})
