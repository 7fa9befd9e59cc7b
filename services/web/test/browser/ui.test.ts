/**
 * The web UI in a real browser (Debian chromium driven by playwright-core) against the whole stack started by
 * `scripts/start.ts` on free ports: sign up, create an organization, create and submit a venue listing, search;
 * axe-core on each page; screenshots at phone and desktop widths under test-results/screenshots/.
 */
import { startSmtpServer } from '@commons/testkit'
import t from 'tap'
import { startTestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import {
  BROWSER_TEST_TIMEOUT,
  CHROMIUM,
  checkPage,
  collectErrors,
  describeViolations,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  screenshotter,
} from './support.ts'
import { sessionSteps } from './ui-session.ts'

const PASSWORD = 'gongxiang2026ziyuan'

t.setTimeout(BROWSER_TEST_TIMEOUT)

t.test('the web UI in a real browser', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  // The whole marketplace as `pnpm start` runs it, on free ports, with this test's database and index prefix.
  // Mail goes to a local SMTP server, so the sign-up reads its verification mail as a person would.
  const smtp = await startSmtpServer()
  t.teardown(() => smtp.close())
  const stack = await startTestStack(t, {}, { smtp })
  const { base } = stack
  const { browser, axeSource } = await launchBrowser(t)

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  const pageErrors: string[] = []
  collectErrors(page, pageErrors)
  const { capture, checked } = screenshotter(axeSource)

  const email = `kim+${Date.now()}@example.org`
  let orgUrl = ''
  let listingId = ''
  /** Dates in the listing's time zone: one closed by a special date, one open only 10:00–12:00. */
  const shanghaiDate = (days: number) =>
    new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
  const closedDate = shanghaiDate(3)
  const specialDate = shanghaiDate(4)

  await t.test('the home page speaks Chinese and offers search', async (t) => {
    await page.goto(`${base}/`)
    await page.getByRole('heading', { level: 1, name: '找场地、找专家、找志愿者' }).waitFor()
    t.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
    t.ok(await page.getByRole('combobox', { name: '搜索资源' }).isVisible())
    await capture(page, 'home')
  })

  await t.test('a newcomer signs up; the form checks the password before sending', async (t) => {
    await page.getByRole('link', { name: '注册' }).click()
    await page.getByLabel('姓名或昵称').fill('金晓燕')
    await page.getByLabel('电子邮箱').fill(email)
    await page.getByLabel('密码').fill('short')
    await page.getByRole('button', { name: '注册' }).click()
    await page.getByText('至少 10 个字').waitFor()
    t.equal(await page.getByLabel('密码').getAttribute('aria-invalid'), 'true')
    await capture(page, 'signup')
    await page.getByLabel('密码').fill(PASSWORD)
    await page.getByLabel('我已阅读并同意《隐私政策与用户协议》').check()
    await page.getByRole('button', { name: '注册' }).click()
    await page.getByRole('heading', { level: 1, name: '请查收验证邮件' }).waitFor()
    t.ok(await page.getByText(email).isVisible(), 'the screen names the address the link went to')
    t.ok(await page.getByRole('button', { name: /重新发送/ }).isVisible(), 'and offers to send it again')
    await capture(page, 'check-email')
  })

  await t.test('the link in the mail verifies the email and signs the newcomer in', async (t) => {
    const received = await smtp.waitFor((m) => m.to.includes(email), 30_000)
    t.match(received.mail.subject, /验证/)
    const link = /https?:\/\/\S+\/verify-email\?token=[\w-]+/.exec(received.mail.text ?? '')?.[0]
    t.ok(link, 'the mail holds the link')
    // The link points at PUBLIC_URL (the stack's own web origin); open its path on this test's origin.
    await page.goto(`${base}${new URL(link as string).pathname}${new URL(link as string).search}`)
    await page.waitForURL(`${base}/orgs`)
    await page.getByRole('heading', { level: 1, name: '我的组织' }).waitFor()
    t.ok(await page.getByText('金晓燕', { exact: true }).isVisible(), 'the header names the member')
  })

  await t.test('the member creates an organization', async (t) => {
    await page.getByLabel('组织名称').fill('杨浦区五角场街道总工会')
    await page.getByLabel('组织类型').selectOption('trade_union')
    await page.getByLabel('区县', { exact: true }).selectOption({ label: '杨浦区' })
    await page.getByLabel('简介').fill('服务辖区职工，提供职工之家活动室。')
    await page.getByRole('button', { name: '创建', exact: true }).click()
    await page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/)
    orgUrl = page.url()
    await page.getByRole('heading', { level: 1, name: /杨浦区五角场街道总工会/ }).waitFor()
    await page.getByRole('cell', { name: email }).waitFor()
    t.ok(await page.getByRole('cell', { name: '负责人' }).isVisible(), 'the creator owns it')
  })

  await t.test('a venue listing is checked with the API schema, saved as a draft and submitted', async (t) => {
    await page.getByRole('link', { name: '发布新资源' }).click()
    await page.getByRole('heading', { level: 1, name: '发布资源' }).waitFor()
    await page.getByRole('button', { name: '保存为草稿' }).click()
    const summary = page.getByRole('alert').filter({ hasText: '请修改以下内容后再提交' })
    await summary.waitFor()
    t.ok(await page.locator('#l-title[aria-invalid="true"]').count(), 'the title is marked invalid')
    await page.getByLabel('标题').fill('职工之家多功能活动室')
    await page.getByLabel('介绍').fill('可容纳 60 人的活动室，配投影仪和音响，适合会议、培训和文艺排练。')
    await page.getByLabel('标签').fill('会议室，培训，排练')
    await page.getByLabel('容纳人数').fill('60')
    await page.getByLabel('投影仪').check()
    await page.getByLabel('音响').check()
    await page.getByLabel('区县', { exact: true }).selectOption({ label: '杨浦区' })
    await page.getByLabel('详细地址').fill('国和路 36 号 3 楼')
    await capture(page, 'listing-form')
    await page.getByRole('button', { name: '保存为草稿' }).click()
    await page.waitForURL(orgUrl)
    const row = page.locator('.listing-row', { hasText: '职工之家多功能活动室' })
    await row.waitFor()
    t.equal(await row.locator('[data-status]').getAttribute('data-status'), 'draft')
    listingId =
      ((await row.getByRole('link', { name: '职工之家多功能活动室' }).getAttribute('href')) ?? '').split('/')[2] ?? ''
    await row.getByRole('link', { name: '编辑' }).click()
    await page.getByRole('heading', { level: 1, name: '编辑资源' }).waitFor()
    t.equal(await page.getByLabel('标题').inputValue(), '职工之家多功能活动室', 'the form holds the saved listing')
    await page
      .getByLabel('介绍')
      .fill('可容纳 60 人的活动室，配投影仪和音响，适合会议、培训和文艺排练。周末需提前三天预约。')
    // Weekly hours with a lunch break on Mondays, and two special dates.
    await page.getByRole('button', { name: '为周一添加时段' }).click()
    await page.getByLabel('周一 第 1 段 结束时间').fill('12:00')
    await page.getByLabel('周一 第 2 段 开始时间').fill('13:30')
    await page.getByLabel('周一 第 2 段 结束时间').fill('18:00')
    await page.getByRole('button', { name: '+ 添加特殊日期' }).click()
    await page.getByRole('button', { name: '保存修改' }).click()
    await page.getByRole('alert').filter({ hasText: '特殊日期' }).waitFor()
    t.equal(
      await page.locator('#l-availability-exceptions-0-date').getAttribute('aria-invalid'),
      'true',
      'a special date is checked with the API schema: it needs its date',
    )
    const closed = page.locator('li.exception').nth(0)
    await closed.getByLabel('日期', { exact: true }).fill(closedDate)
    await closed.getByLabel('备注（选填）').fill('社区活动，暂停开放')
    await page.getByRole('button', { name: '+ 添加特殊日期' }).click()
    const special = page.locator('li.exception').nth(1)
    await special.getByLabel('日期', { exact: true }).fill(specialDate)
    await special.getByLabel('当天', { exact: true }).selectOption('open')
    await special.getByLabel(`${specialDate} 开始时间`).fill('10:00')
    await special.getByLabel(`${specialDate} 结束时间`).fill('12:00')
    await capture(page, 'listing-hours')
    await page.getByRole('button', { name: '保存修改' }).click()
    await page.waitForURL(orgUrl)
    await row.waitFor()
    const session = await stack.call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } })
    const { body: saved } = await stack.call('GET', `/v1/listings/${listingId}`, { token: session.body.accessToken })
    t.same(saved.availability.weekly.mon, [
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '18:00' },
    ])
    t.same(saved.availability.exceptions, [
      { date: closedDate, closed: true, hours: [], note: '社区活动，暂停开放' },
      { date: specialDate, closed: false, hours: [{ start: '10:00', end: '12:00' }] },
    ])
    await row.getByRole('link', { name: '编辑' }).click()
    await page.getByRole('heading', { level: 1, name: '编辑资源' }).waitFor()
    t.equal(await page.locator('li.exception').count(), 2, 'the editor shows the saved special dates')
    t.equal(await page.getByLabel('周一 第 2 段 开始时间').inputValue(), '13:30', 'and every span of a day')
    await page.goBack()
    await row.waitFor()
    await row.getByRole('button', { name: '提交审核' }).click()
    await row.locator('[data-status="pending_review"]').waitFor()
    t.pass('submitted for review')
    await capture(page, 'organization')
  })

  await t.test('a moderator approves it from the review queue', async (t) => {
    // A moderator of another organization (or none): moderators do not judge their own organization's listings.
    const moderatorEmail = `mod+${Date.now()}@example.org`
    await stack.signUp({ email: moderatorEmail, password: PASSWORD, displayName: '审核员' })
    stack.grantModerator(moderatorEmail)
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    t.teardown(() => desk.close())
    const mod = await desk.newPage()
    collectErrors(mod, pageErrors)
    await mod.goto(`${base}/signin`)
    await mod.getByRole('button', { name: '邮箱密码' }).click()
    await mod.getByLabel('电子邮箱').fill(moderatorEmail)
    await mod.getByLabel('密码').fill(PASSWORD)
    await mod.getByRole('button', { name: '登录' }).click()
    await mod.getByRole('link', { name: '审核' }).click()
    await mod.getByRole('heading', { level: 1, name: '审核队列' }).waitFor()
    const item = mod.getByRole('listitem').filter({ hasText: '职工之家多功能活动室' })
    await capture(mod, 'moderation')
    await item.getByRole('button', { name: '通过' }).click()
    await mod.getByText('没有待审核的资源').waitFor()
    t.pass('approved')
  })

  await t.test('a member finds it by a Chinese query, with the match highlighted', async (t) => {
    await eventually(async () => {
      const res = await fetch(`${base}/v1/search?q=${encodeURIComponent('活动室')}`)
      return ((await res.json()) as { total?: number }).total === 1
    }, 'the listing reaches the search index')
    await page.goto(`${base}/search?q=${encodeURIComponent('活动室')}`)
    const card = page.locator('.listing-card', { hasText: '职工之家多功能活动室' })
    await card.waitFor()
    t.equal(await card.locator('mark').first().textContent(), '活动室', 'the match is marked')
    t.ok(await card.getByText('免费').isVisible())
    t.ok(await page.locator('#f-kind-venue').isVisible(), 'the kind facet lists venues')
    await capture(page, 'search-results')
  })

  await t.test('a homophone typo offers the word meant, and pinyin finds the listing', async (t) => {
    await page.goto(`${base}/search?q=${encodeURIComponent('活东室')}`)
    const hint = page.locator('.did-you-mean')
    await hint.waitFor()
    t.match(await hint.textContent(), /你是不是要找：\s*活动室/, 'the correction is offered')
    await page.locator('.listing-card', { hasText: '职工之家多功能活动室' }).waitFor()
    await page.goto(`${base}/search?q=huodongshi`)
    await page.locator('.listing-card', { hasText: '职工之家多功能活动室' }).waitFor()
    t.pass('a pinyin query finds the listing')
  })

  await t.test('another organization books a slot; a double click books once', async (t) => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' })
    t.teardown(() => phone.close())
    const member = await phone.newPage()
    member.on('pageerror', (error) => pageErrors.push(error.message))
    const memberEmail = `li+${Date.now()}@example.org`
    await member.goto(`${base}/signup`)
    await member.getByLabel('姓名或昵称').fill('李建国')
    await member.getByLabel('电子邮箱').fill(memberEmail)
    await member.getByLabel('密码').fill(PASSWORD)
    await member.getByLabel('我已阅读并同意《隐私政策与用户协议》').check()
    await member.getByRole('button', { name: '注册' }).click()
    await member.getByRole('heading', { level: 1, name: '请查收验证邮件' }).waitFor()
    const mailed = await smtp.waitFor((m) => m.to.includes(memberEmail), 30_000)
    const link = new URL(/https?:\/\/\S+\/verify-email\?token=[\w-]+/.exec(mailed.mail.text ?? '')?.[0] ?? '')
    await member.goto(`${base}${link.pathname}${link.search}`)
    await member.waitForURL(`${base}/orgs`)
    await member.getByLabel('组织名称').fill('控江路街道第二居委会')
    await member.getByLabel('区县', { exact: true }).selectOption({ label: '杨浦区' })
    await member.getByRole('button', { name: '创建', exact: true }).click()
    await member.waitForURL(/\/orgs\/[0-9a-f-]{36}$/)

    await eventually(async () => {
      const from = new Date().toISOString()
      const to = new Date(Date.now() + 14 * 86_400_000).toISOString()
      const res = await fetch(`${base}/v1/availability/${listingId}?from=${from}&to=${to}`)
      return res.ok && ((await res.json()) as { slots: unknown[] }).slots.length > 0
    }, 'bookings knows the listing and its free slots')
    const slotsOn = async (date: string) => {
      const from = new Date(`${date}T00:00:00+08:00`)
      const to = new Date(from.getTime() + 86_400_000)
      const res = await fetch(`${base}/v1/availability/${listingId}?from=${from.toISOString()}&to=${to.toISOString()}`)
      return ((await res.json()) as { slots: Array<{ start: string; end: string }> }).slots
    }
    t.same(await slotsOn(closedDate), [], 'no slot on the closed date')
    const shanghaiTime = (iso: string) =>
      new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' })
    const special = await slotsOn(specialDate)
    t.ok(special.length > 0, 'the special date has slots')
    t.ok(
      special.every((s) => shanghaiTime(s.start) >= '10:00' && shanghaiTime(s.end) <= '12:00'),
      'only within its special hours',
    )
    await member.goto(`${base}/search?q=${encodeURIComponent('活动室')}`)
    await member.locator('.listing-card').first().waitFor()
    t.equal(await member.locator('.filters').count(), 0, 'phones see results before filters, which wait in a sheet')
    t.ok(await member.getByRole('button', { name: '区域' }).isVisible(), 'quick chips sit above the results')
    await checkPage(member, axeSource, checked, 'search (phone)', 'search-phone-375')
    await member.getByRole('link', { name: /职工之家多功能活动室/ }).click()
    await member.waitForURL(`${base}/listings/${listingId}`)
    await member.getByRole('group', { name: '选择开始时间' }).waitFor()
    await member.locator('.slot').first().click()
    await member.getByLabel('人数').fill('25')
    await member.getByLabel('用途').fill('居民议事会，讨论加装电梯方案')
    t.ok(await member.getByText('取消政策：灵活').isVisible(), 'the policy is shown before booking')
    await checkPage(member, axeSource, checked, 'listing-booking (375 px)', 'listing-booking-375')
    await member.getByRole('button', { name: '提交预约申请' }).dblclick()
    await member.getByText('预约已提交，当前状态：待确认。').waitFor()

    const login = await stack.call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } })
    const providerOrg = orgUrl.split('/').pop()
    const res = await stack.call('GET', `/v1/bookings?as=provider&organizationId=${providerOrg}`, {
      token: login.body.accessToken,
    })
    const bookingsPage = res.body as { items: Array<{ status: string; attendees: number }> }
    t.equal(bookingsPage.items.length, 1, 'one booking for two clicks')
    t.equal(bookingsPage.items[0]?.status, 'requested')
    t.equal(bookingsPage.items[0]?.attendees, 25)
  })

  await t.test('the listing page shows its facts', async (t) => {
    await page.goto(`${base}/listings/${listingId}`)
    await page.getByRole('heading', { level: 1, name: '职工之家多功能活动室' }).waitFor()
    t.ok(await page.getByText('60 人', { exact: true }).isVisible())
    t.ok(await page.getByText('投影仪、音响').isVisible())
    t.ok(await page.getByText('周末需提前三天预约。').isVisible(), 'the edit (PATCH with If-Match) was saved')
    await page.getByRole('group', { name: '选择开始时间' }).waitFor()
    await capture(page, 'listing')
  })

  await t.test('the search page renders facets, sort and a designed empty state', async (t) => {
    await page.goto(`${base}/search?q=${encodeURIComponent('会议室')}`)
    await page.getByRole('heading', { level: 1, name: '“会议室”的搜索结果' }).waitFor()
    await page.getByRole('heading', { level: 2, name: /共 \d+ 个结果/ }).waitFor()
    t.ok(await page.getByLabel('排序').isVisible())
    t.ok(await page.getByLabel('只看认证组织').isVisible())
    await page.getByLabel('只看认证组织').check()
    await page.waitForURL(/verified=true/)
    await page.getByText('没有找到符合条件的资源').waitFor()
    t.pass('the filter is in the URL and the empty state shows')
    await capture(page, 'search')
  })

  await t.test('the needs board shows twenty needs and loads the rest on demand', async (t) => {
    await page.goto(`${base}/needs`)
    await page.getByRole('heading', { level: 1, name: '需求广场' }).waitFor()
    await page.getByText('还没有人发布需求').waitFor()
    const session = await stack.call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } })
    const organizationId = orgUrl.split('/').at(-1)
    const start = Date.now() + 5 * 86_400_000
    for (let i = 1; i <= 21; i++) {
      const res = await stack.call('POST', '/v1/needs', {
        token: session.body.accessToken,
        body: {
          organizationId,
          kind: 'venue',
          title: `职工培训需要教室（第 ${i} 期）`,
          city: '上海',
          district: '杨浦区',
          window: {
            start: new Date(start + i * 86_400_000).toISOString(),
            end: new Date(start + i * 86_400_000 + 7_200_000).toISOString(),
          },
          attendees: 30,
        },
      })
      t.equal(res.status, 201, `need ${i} posted`)
    }
    await page.reload()
    const cards = page.locator('ul.card-list > li.card')
    await cards.nth(19).waitFor()
    t.equal(await cards.count(), 20, 'one page of twenty')
    await capture(page, 'needs')
    await page.getByRole('button', { name: '加载更多' }).click()
    await cards.nth(20).waitFor()
    t.equal(await cards.count(), 21, 'the next page is appended')
    t.equal(await page.getByRole('button', { name: '加载更多' }).count(), 0, 'nothing more to load')
    const titles = await cards.locator('.card-title').allTextContents()
    t.equal(new Set(titles).size, 21, 'no need is shown twice')
  })

  await sessionSteps(t, { base, page, email, password: PASSWORD })

  await t.test('axe-core finds no serious or critical violation on the pages covered', async (t) => {
    for (const [name, violations] of Object.entries(checked)) {
      t.same(describeViolations(violations), [], name)
    }
  })

  await t.test('no script errors in the page', async (t) => {
    t.same(pageErrors, [])
  })
})
