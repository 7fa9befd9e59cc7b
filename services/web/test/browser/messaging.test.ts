/**
 * Issue 14's two journeys between people, both at phone width (375 px), one browser context per person:
 * 1. a member requests a slot, the provider's bell counts it without a reload (the live stream), the
 *    provider accepts from the notification, both see each other's contacts and the address on the booking
 *    page and exchange messages there; the 24 h reminder, made due, arrives in-app and by email (a local
 *    SMTP server, the message parsed); the provider completes the booking and the member is asked to rate.
 * 2. a provider hears of a need that fits its listing, answers it (联系需求方) from 适合我的资源, and the group
 *    that posted it replies; both see the conversation.
 * Screenshots under test-results/screenshots/ (messaging-*-375.png).
 */
import path from 'node:path'
import { startSmtpServer } from '@commons/testkit'
import type { Page } from 'playwright-core'
import t from 'tap'
import { startTestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import { type Json, PASSWORD, setUpJourney } from './journey-setup.ts'
import {
  BROWSER_TEST_TIMEOUT,
  CHROMIUM,
  describeViolations,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  SCREENSHOTS,
  seriousViolations,
  shanghaiDate,
  signedInPage,
} from './support.ts'

t.setTimeout(BROWSER_TEST_TIMEOUT)

const PROVIDER_MOBILE = '13812345678'
const REQUESTER_MOBILE = '13987654321'

t.test('booking and need conversations at phone width', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  const smtp = await startSmtpServer()
  t.teardown(() => smtp.close())
  const stack = await startTestStack(t, {}, { smtp })
  const { base } = stack
  const { call, emails, providerOrg, requesterOrg, listing } = await setUpJourney(stack)
  await call('PUT', `/v1/organizations/${providerOrg.organization.id}/contacts`, {
    token: providerOrg.accessToken,
    body: { contactPerson: '张主任', mobile: PROVIDER_MOBILE, wechatId: 'zhang_huamu' },
  })
  await call('PUT', `/v1/organizations/${requesterOrg.organization.id}/contacts`, {
    token: requesterOrg.accessToken,
    body: { contactPerson: '李书记', mobile: REQUESTER_MOBILE },
  })
  await call('PUT', `/v1/listings/${listing.id}/private-details`, {
    token: providerOrg.accessToken,
    body: { arrivalNotes: '从东门进，二楼左手第一间', paymentTerms: '活动当天微信转账给张主任' },
  })
  await call('PUT', '/v1/notifications/preferences', {
    token: requesterOrg.accessToken,
    body: { email: { address: emails.requester, enabled: true } },
  })
  // The setup's listing approval and its other booking reach the provider's bell first: read them now, so
  // the count the test waits for is the new request's.
  await eventually(async () => {
    const { items } = await call('GET', '/v1/notifications?unread=true', { token: providerOrg.accessToken })
    const types = new Set(items.map((n: Json) => n.type))
    return types.has('listing_approved') && types.has('booking_requested')
  }, 'the provider has heard of the setup')
  await call('POST', '/v1/notifications/read', { token: providerOrg.accessToken, body: { all: true } })

  const { browser, axeSource } = await launchBrowser(t)
  const pageErrors: string[] = []
  const violations: Record<string, string[]> = {}
  const capture = async (page: Page, name: string) => {
    violations[name] = describeViolations(await seriousViolations(page, axeSource))
    await page.screenshot({ path: path.join(SCREENSHOTS, `messaging-${name}-375.png`), fullPage: true })
  }
  const personPage = (email: string) =>
    signedInPage(t, browser, { base, email, password: PASSWORD, width: 375, errors: pageErrors })
  const member = await personPage(emails.requester)
  const host = await personPage(emails.provider)
  const bell = (page: Page) => page.getByTestId('bell-count')
  let bookingId = ''

  await t.test('the provider’s bell counts a new request without a reload', async (t) => {
    t.equal(await bell(host).count(), 0, 'nothing unread before the request')
    await member.goto(`${base}/listings/${listing.id}`)
    await member.getByRole('group', { name: '选择开始时间' }).waitFor()
    // Three days ahead, so the reminder a day before is still to come.
    await member.locator(`.date-chip[data-date="${shanghaiDate(3)}"]`).click()
    await member.locator('.slot').first().click()
    await member.getByLabel('人数').fill('25')
    await member.getByLabel('用途').fill('居民议事会，讨论加装电梯方案')
    await member.getByRole('button', { name: '提交预约申请' }).click()
    await member.waitForURL(/\/bookings\/[^/]+\/booked$/)
    bookingId = new URL(member.url()).pathname.split('/')[2] ?? ''
    t.ok(bookingId, 'the result page names the booking')
    await capture(member, 'booked')

    await bell(host).filter({ hasText: '1' }).waitFor({ timeout: 60_000 })
    t.pass('the bell shows 1 on the page that was already open')
    await capture(host, 'bell')
  })

  await t.test('the provider accepts from the notification; both see the other’s contacts', async (t) => {
    await host.locator('a.bell').click()
    await host.getByRole('heading', { level: 1, name: '通知' }).waitFor()
    // The setup's other booking of the same listing has its notification too, read already.
    const request = host
      .locator('li.notification.unread')
      .getByRole('link', { name: '新的预约：党群服务中心多功能会议室' })
    t.equal(await request.getAttribute('href'), `/bookings/${bookingId}`, 'the unread one is the new request')
    await request.click()
    await host.waitForURL(`${base}/bookings/${bookingId}`)
    const card = host.locator('li.booking')
    await card.getByText('联洋社区青年志愿者协会').first().waitFor()
    t.ok(await card.getByText('预约人 李书记').isVisible(), 'the provider sees who asked')
    t.equal(await host.getByText(REQUESTER_MOBILE).count(), 0, 'no contacts before it is confirmed')
    await card.getByRole('button', { name: '接受' }).click()
    await host.locator('li.booking[data-status="confirmed"]').waitFor()
    await host.getByText(REQUESTER_MOBILE).waitFor()
    t.ok(await host.getByText('李书记 ·').first().isVisible(), 'the requester’s contact person')
    await capture(host, 'accepted-provider')

    await bell(member).waitFor({ timeout: 60_000 })
    await member.locator('a.bell').click()
    await member.getByRole('link', { name: '预约已确认：党群服务中心多功能会议室' }).click()
    await member.waitForURL(`${base}/bookings/${bookingId}`)
    await member.getByText(PROVIDER_MOBILE).waitFor()
    t.ok(await member.getByText('花木路 1000 号').first().isVisible(), 'the venue address')
    t.ok(await member.getByText('从东门进，二楼左手第一间').isVisible(), 'the arrival notes')
    t.ok(await member.getByText('活动当天微信转账给张主任').isVisible(), 'the payment terms')
    t.ok(await member.getByText('zhang_huamu').isVisible(), 'the WeChat ID')
    await capture(member, 'accepted-requester')
  })

  await t.test('they exchange messages on the booking page', async (t) => {
    const memberTalk = member.getByRole('region', { name: '留言沟通' })
    await memberTalk.getByLabel('消息内容').fill('张主任您好，我们 25 人，需要提前半小时布置会场，可以吗？')
    await memberTalk.getByRole('button', { name: '发送' }).click()
    await memberTalk.getByText('需要提前半小时布置会场').waitFor()

    const hostTalk = host.getByRole('region', { name: '留言沟通' })
    // The provider's page is open: the message comes in through the stream.
    await hostTalk.getByText('需要提前半小时布置会场').waitFor({ timeout: 60_000 })
    await hostTalk.getByLabel('消息内容').fill('可以的，8 点半东门有人开门。')
    await hostTalk.getByRole('button', { name: '发送' }).click()
    await memberTalk.getByText('8 点半东门有人开门').waitFor({ timeout: 60_000 })
    t.ok(await memberTalk.locator('.message.mine').getByText('需要提前半小时').isVisible(), 'mine are marked')
    await capture(member, 'booking-conversation')
  })

  await t.test('the reminder a day before arrives in-app and by email', async (t) => {
    await stack.makeJobDue('messaging_jobs', `reminder:24h:${bookingId}`)
    const mail = await smtp.waitFor(
      (m) => m.to.includes(emails.requester) && /明天见/.test(m.mail.subject ?? ''),
      60_000,
    )
    t.equal(mail.mail.subject, '明天见：党群服务中心多功能会议室')
    t.match(mail.mail.text ?? '', /提醒：预约将于 .+ 开始/)
    t.match(mail.mail.text ?? '', `/bookings/${bookingId}`, 'the email links to the booking')
    t.match(
      mail.mail.text ?? '',
      /不再接收此类邮件：\S+\/v1\/notifications\/unsubscribe\?token=/,
      'with the opt-out link',
    )
    t.equal(String(mail.mail.headers.get('content-language')), 'zh-CN')
    await member.goto(`${base}/notifications`)
    await member.getByRole('link', { name: '明天见：党群服务中心多功能会议室' }).waitFor()
    t.pass('the reminder is in the notification center')
    await capture(member, 'reminder')
  })

  await t.test('once it has taken place, the provider completes it and the member is asked to rate', async (t) => {
    await stack.beginBooking(bookingId)
    await host.goto(`${base}/bookings/${bookingId}`)
    await host.locator('li.booking').getByRole('button', { name: '标记为已完成', exact: true }).click()
    await host
      .getByRole('dialog', { name: '确认这次预约已经完成？' })
      .getByRole('button', { name: '确认已完成' })
      .click()
    await host.locator('li.booking[data-status="completed"]').waitFor()

    const rateNow = member.getByRole('link', { name: '已完成，去评价：党群服务中心多功能会议室' })
    // The notification center is open: the stream adds it.
    await rateNow.waitFor({ timeout: 60_000 })
    await rateNow.click()
    await member.waitForURL(`${base}/bookings/${bookingId}`)
    await member.locator('form.rate-form').waitFor()
    t.pass('the link leads to the rating form')
    await capture(member, 'rate-now')
  })

  await t.test('a provider answers a need and the group replies', async (t) => {
    const need = await call('POST', '/v1/needs', {
      token: requesterOrg.accessToken,
      body: {
        organizationId: requesterOrg.organization.id,
        kind: 'venue',
        title: '重阳节敬老活动需要一间活动室',
        city: '上海',
        district: '浦东新区',
        // Two hours the venue can be booked for (at most four), within its price and seats: the one fits
        // rule lets messaging notify and 适合我的资源 list it alike.
        window: { start: `${shanghaiDate(10)}T10:00:00+08:00`, end: `${shanghaiDate(10)}T12:00:00+08:00` },
        attendees: 30,
        budget: { amount: 30_000, currency: 'CNY' },
      },
    })
    // The provider hears of it and follows the notification to 适合我的资源, where it answers the need.
    await host.goto(`${base}/notifications`)
    const heard = host.getByRole('link', { name: `有需求适合你的资源：${need.title}` })
    await heard.waitFor({ timeout: 60_000 })
    await heard.click()
    await host.waitForURL(`${base}/needs?view=fits`)
    const card = host.locator('li.card', { hasText: need.title })
    // Discovery indexes the need on its own feed; the view lists it once the index has it.
    await eventually(
      () =>
        card.waitFor({ timeout: 5_000 }).then(
          () => true,
          async () => {
            await host.reload()
            return false
          },
        ),
      'the fits view lists the need',
    )
    t.ok(await card.getByText('党群服务中心多功能会议室').isVisible(), 'with the listing it fits')
    t.ok(await card.getByText('联洋社区青年志愿者协会').isVisible(), 'and who posted it')
    await capture(host, 'need-fits')
    await card.getByRole('button', { name: '联系需求方' }).click()
    await host.waitForURL(/\/conversations\/[^/]+$/)
    const hostTalk = host.getByRole('region', { name: '留言沟通' })
    await hostTalk.getByLabel('消息内容').fill('我们的多功能会议室重阳节那周有空，可容纳 40 人。')
    await hostTalk.getByRole('button', { name: '发送' }).click()
    await hostTalk.getByText('重阳节那周有空').waitFor()
    await capture(host, 'need-provider')

    await member.goto(`${base}/conversations`)
    const item = member.locator('li.conversation-item', { hasText: need.title })
    // The message was stored before the provider's page showed it: the group's list has it on first load.
    await item.waitFor()
    t.ok(await item.getByText('重阳节那周有空').isVisible(), 'with the last message')
    await item.getByRole('link', { name: need.title }).click()
    const memberTalk = member.getByRole('region', { name: '留言沟通' })
    await memberTalk.getByText('重阳节那周有空').waitFor()
    await memberTalk.getByLabel('消息内容').fill('太好了，我们想订上午，请问怎么预约？')
    await memberTalk.getByRole('button', { name: '发送' }).click()
    await hostTalk.getByText('请问怎么预约').waitFor({ timeout: 60_000 })
    t.pass('the provider sees the reply')
    await capture(member, 'need-requester')
  })

  t.same(pageErrors, [], 'no script errors on any page')
  for (const [name, found] of Object.entries(violations)) t.same(found, [], `no serious axe findings: ${name}`)
})
