/**
 * The activities journey of issue 18 in a real browser at phone width (375 px), one context per person: a
 * host creates an activity in the hall it booked and publishes it; two residents sign up, one as a
 * volunteer, and a third waits (capacity 1); the host checks one in by the code from 我的活动 and the
 * volunteer off the list; the activity is moved past its end (the services run on the wall clock, so the
 * test moves the activity, as journey.test.ts moves a booking); all three directions evaluate, and the
 * attendee rates the volunteer who served; the scorecards, the open ledger and the volunteer's time credits
 * show it; the host replies to an evaluation, a resident reports it and a moderator hides it with a reason.
 * axe-core on each new page; screenshots at 375 and 1280 px under test-results/screenshots/.
 */
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { communityBookingStatus, endActivityNow, startActivitySoon } from '../../../../scripts/lib/activity-time.ts'
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
  screenshotter,
  signedInPage,
} from './support.ts'

t.setTimeout(BROWSER_TEST_TIMEOUT)

t.test('the activities journey at phone width', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  const stack = await startTestStack(t)
  const { base, databaseUrl } = stack
  const { call, emails, providerOrg, requesterOrg, listing } = await setUpJourney(stack)
  const hostOrgId = requesterOrg.organization.id

  // The host (the requester's organization) has a confirmed booking of the provider's hall.
  const from = new Date(Date.now() + 26 * 3600_000).toISOString()
  const to = new Date(Date.now() + 7 * 86_400_000).toISOString()
  const { slots } = await call('GET', `/v1/availability/${listing.id}?from=${from}&to=${to}`)
  const slot = slots[0]
  const booking = await call('POST', '/v1/bookings', {
    token: requesterOrg.accessToken,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      listingId: listing.id,
      organizationId: hostOrgId,
      start: slot.start,
      end: slot.end,
      attendees: 20,
      purpose: '社区育儿讲座',
    },
  })
  await call('POST', `/v1/bookings/${booking.id}/accept`, { token: providerOrg.accessToken, body: {} })
  await eventually(
    async () => (await communityBookingStatus(databaseUrl, booking.id)) === 'confirmed',
    'community knows the confirmed booking',
  )

  const stamp = Date.now()
  const residents = {
    attendee: { email: `wang.ayi+${stamp}@example.org`, name: '王阿姨' },
    volunteer: { email: `zhao+${stamp}@example.org`, name: '赵志愿' },
    waiting: { email: `sun+${stamp}@example.org`, name: '孙大爷' },
  }
  const accounts: Record<string, Json> = {}
  for (const [key, r] of Object.entries(residents)) {
    accounts[key] = await stack.signUp({ email: r.email, password: PASSWORD, displayName: r.name })
  }

  const { browser, axeSource } = await launchBrowser(t)
  const pageErrors: string[] = []
  const { capture, checked } = screenshotter(axeSource)
  const personPage = (email: string) =>
    signedInPage(t, browser, { base, email, password: PASSWORD, width: 375, errors: pageErrors })
  const host = await personPage(emails.requester)
  const attendee = await personPage(residents.attendee.email)
  const volunteer = await personPage(residents.volunteer.email)
  const title = `亲子育儿讲座 ${stamp}`
  let activityId = ''

  await t.test('the host creates an activity in its booked hall and publishes it', async (t) => {
    await host.goto(`${base}/orgs/${hostOrgId}`)
    await host.getByRole('link', { name: '本组织的活动' }).click()
    await host.getByRole('heading', { level: 1, name: /的活动$/ }).waitFor()
    await host.getByText('发起新活动').click()
    const booked = host.getByLabel('选择预约')
    await booked.waitFor()
    t.match(
      await booked.locator('option').first().textContent(),
      /党群服务中心多功能会议室/,
      'the booked hall is offered',
    )
    t.ok(await host.getByRole('radio', { name: '已预约的场地' }).isChecked(), 'a booked hall comes first')
    t.not(await host.getByLabel('开始时间').inputValue(), '', 'the booking’s time is taken')
    await host.getByLabel('标题', { exact: true }).fill(title)
    await host.getByLabel('介绍').fill('请儿科医生讲婴幼儿常见病的家庭护理，欢迎新手爸妈。')
    await host.getByRole('checkbox', { name: '居民' }).check()
    await host.getByLabel('参加名额').fill('1')
    await host.getByLabel('志愿者名额').fill('1')
    await host.getByLabel('需要的志愿者技能').fill('签到引导、拍照')
    await capture(host, 'activity-create')
    await host.getByRole('button', { name: '创建草稿' }).click()
    await host.waitForURL(/\/activities\/[^/]+\/manage$/)
    activityId = host.url().split('/').at(-2) ?? ''
    await host.getByText('草稿').first().waitFor()
    await host.getByRole('button', { name: '发布活动' }).click()
    await host.getByRole('heading', { name: '签到' }).waitFor()
    const shown = await call('GET', `/v1/activities/${activityId}`)
    t.match(shown, { status: 'published', capacity: 1, volunteerPlaces: 1, place: { kind: 'booking' } })
  })

  await t.test('a resident finds it under 活动 and signs up; another volunteers', async (t) => {
    await attendee.getByRole('link', { name: '活动', exact: true }).click()
    await attendee.getByRole('heading', { level: 1, name: '活动' }).waitFor()
    await attendee.getByRole('link', { name: title }).click()
    await attendee.getByRole('heading', { level: 1, name: title }).waitFor()
    await capture(attendee, 'activity-page')
    t.equal(await attendee.getByLabel('姓名或称呼').inputValue(), residents.attendee.name)
    await attendee.getByRole('button', { name: '报名', exact: true }).click()
    await attendee.getByText('已报名（参加者）').waitFor()

    await volunteer.goto(`${base}/activities/${activityId}`)
    await volunteer.getByRole('checkbox', { name: '我是党员' }).check()
    await volunteer.getByRole('button', { name: '当志愿者', exact: true }).click()
    await volunteer.getByText('已报名（志愿者）').waitFor()
    t.pass('both signed up')
  })

  await t.test('capacity holds: a third resident waits, first in line', async (t) => {
    const login = await call('POST', '/v1/auth/login', {
      body: { email: residents.waiting.email, password: PASSWORD },
    })
    const waiting = await call('POST', `/v1/activities/${activityId}/registrations`, {
      token: login.accessToken,
      headers: { 'idempotency-key': randomUUID() },
      body: { role: 'attendee', displayName: residents.waiting.name },
    })
    t.match(waiting, { status: 'waitlisted', waitlistPosition: 1 })
    await attendee.reload()
    await attendee.getByText('已报名 1/1 人').waitFor()
    t.ok(await attendee.getByText('候补 1 人').isVisible(), 'the waitlist is shown')
    await host.reload()
    const row = host.locator('tr', { hasText: residents.waiting.name })
    await row.waitFor()
    t.match(await row.textContent(), /候补第 1 位/)
    await capture(host, 'activity-manage')
  })

  // Check-in opens an hour before the start: the activity (booked a day ahead) is moved to start soon.
  await startActivitySoon(databaseUrl, activityId)

  await t.test('the host checks the attendee in by the code from 我的活动, the volunteer off the list', async (t) => {
    await attendee.getByRole('link', { name: '我的活动' }).click()
    await attendee.getByRole('heading', { level: 1, name: '我的活动' }).waitFor()
    const mine = attendee.locator('li.my-activity', { hasText: title })
    await mine.getByText('出示签到二维码').click()
    const code = (await mine.locator('.check-in-code .code').textContent())?.trim() ?? ''
    t.match(code, /^\d{6}$/, 'the six digits are shown')
    t.equal(await mine.locator('.qr svg').count(), 1, 'with the QR code')
    await capture(attendee, 'my-activities')

    await host.reload()
    await host.getByLabel('签到码').fill(code)
    await host.getByRole('button', { name: '确认签到' }).click()
    await host.getByText(`${residents.attendee.name} 已签到。`).waitFor()
    await host.getByRole('button', { name: `为${residents.volunteer.name}签到` }).click()
    await host.locator('tr[data-checked-in="true"]', { hasText: residents.volunteer.name }).waitFor()
    await capture(host, 'activity-check-in')
    const list = await call('GET', `/v1/activities/${activityId}/registrations`, { token: requesterOrg.accessToken })
    t.equal(list.items.filter((r: Json) => r.checkedInAt).length, 2)
  })

  await t.test('after the end (clock moved) all three directions evaluate in the UI', async (t) => {
    await endActivityNow(databaseUrl, activityId)

    const evaluate = async (page: typeof host, form: string, comment: string) => {
      const f = page.getByRole('form', { name: form })
      await f.waitFor()
      await f.getByRole('group', { name: '总体评分（1-5）' }).getByText('5', { exact: true }).click()
      await f.getByLabel('文字评价（选填）').fill(comment)
      await f.getByRole('button', { name: '提交评价' }).click()
      await page.getByText(`已提交「${form}」`).waitFor()
    }
    await attendee.goto(`${base}/activities/${activityId}`)
    await attendee.getByText('已签到（参加者）').waitFor()
    await capture(attendee, 'activity-evaluate')
    await evaluate(attendee, '群众评价活动与主办方', '医生讲得很细，孩子发烧不再慌了。')
    // The attendee may also rate the volunteer who served them: the form names each volunteer checked in.
    await evaluate(attendee, `群众评价志愿者：${residents.volunteer.name}`, '赵志愿一直在门口引导，很热心。')
    await volunteer.goto(`${base}/activities/${activityId}`)
    await evaluate(volunteer, '志愿者评价主办方', '分工清楚，物资准备充分。')
    await host.reload()
    await evaluate(host, `组织评价志愿者：${residents.volunteer.name}`, '引导签到很耐心。')
    const published = await call('GET', `/v1/evaluations?activityId=${activityId}`)
    t.equal(published.items.length, 4, 'every party spoke, so all are published (the volunteer rated twice over)')
    t.ok(
      published.items.some(
        (e: Json) => e.direction === 'attendee_to_volunteer' && e.subjectUserId === accounts.volunteer.user.id,
      ),
      'the attendee’s rating of the volunteer is among them',
    )
  })

  await t.test('the scorecards, the open ledger and the volunteer’s time credits show it', async (t) => {
    await attendee.goto(`${base}/profiles/${hostOrgId}`)
    const card = attendee.getByRole('region', { name: /活动评价/ })
    await card.locator('[data-direction="attendee_to_host"]').waitFor()
    t.match(await card.locator('[data-direction="attendee_to_host"]').textContent(), /（1 条）/)
    t.match(await card.locator('[data-direction="volunteer_to_host"]').textContent(), /（1 条）/)
    await card.getByText('医生讲得很细').waitFor()
    await capture(attendee, 'org-scorecard')

    await volunteer.goto(`${base}/volunteers/${accounts.volunteer.user.id}`)
    const mine = volunteer.getByRole('region', { name: /活动评价/ })
    await mine.locator('[data-direction="host_to_volunteer"]').waitFor()
    await mine.getByText('引导签到很耐心').waitFor()
    await capture(volunteer, 'volunteer-scorecard')

    await attendee.getByRole('link', { name: '公开台账' }).first().click()
    const ledger = attendee.getByRole('region', { name: '活动台账' })
    const month = ledger.locator('tbody tr').first()
    await month.waitFor()
    const cells = await month.locator('td').allTextContents()
    t.same(cells.slice(0, 2), ['1', '1'], 'one activity held, one person served')
    t.ok(Number(cells[2]) >= 3, `about three volunteer hours (${cells[2]})`)
    await capture(attendee, 'ledger-activities')

    await eventually(async () => {
      const credits = await call('GET', `/v1/time-credits/members/${accounts.volunteer.user.id}`, {
        token: accounts.volunteer.accessToken,
      })
      return credits.balanceHours > 0
    }, 'bookings credited the volunteer’s hours')
    await volunteer.goto(`${base}/activities/mine`)
    const balance = volunteer.getByTestId('credits-balance')
    await balance.waitFor()
    t.ok(Number.parseFloat((await balance.textContent()) ?? '0') >= 3, 'the volunteer’s time credits grew')
    await capture(volunteer, 'volunteer-credits')
  })

  await t.test('the host replies, a resident reports, a moderator hides it with a reason', async (t) => {
    await host.goto(`${base}/activities/${activityId}`)
    const praised = host.locator('li.rating', { hasText: '医生讲得很细' })
    await praised.waitFor()
    await praised.getByLabel('公开回复这条评价').fill('谢谢您的肯定，下次讲座再见！')
    await praised.getByRole('button', { name: '发布回复' }).click()
    await praised.getByText('谢谢您的肯定，下次讲座再见！').waitFor()
    t.equal(
      await praised.getByRole('button', { name: '举报这条评价' }).count(),
      0,
      'the rated side replies, not reports',
    )
    await capture(host, 'activity-evaluations')

    await volunteer.goto(`${base}/activities/${activityId}`)
    const reported = volunteer.locator('li.rating', { hasText: '医生讲得很细' })
    await reported.getByRole('button', { name: '举报这条评价' }).click()
    await reported.getByLabel('举报理由（审核员会看到）').fill('评价里有不实的描述')
    await reported.getByRole('button', { name: '提交举报' }).click()
    await reported.getByText('已举报，审核员会尽快处理。').waitFor()

    const mod = await personPage(emails.moderator)
    await mod.goto(`${base}/moderation`)
    await mod.getByRole('link', { name: '被举报的活动评价' }).click()
    const report = mod.locator('.card', { hasText: '评价里有不实的描述' })
    await report.waitFor()
    t.ok(await report.getByText('医生讲得很细').isVisible(), 'the report shows the evaluation it is about')
    t.ok(await report.getByRole('link', { name: new RegExp(title) }).isVisible(), 'and its activity')
    await capture(mod, 'moderation-evaluation-reports')
    await report.getByLabel('隐藏原因（会记录在操作记录中）').fill('经核实，评价内容与事实不符')
    await report.getByRole('button', { name: '隐藏这条评价' }).click()
    await mod.getByText('已隐藏 1 条评价。').waitFor()
    const after = await call('GET', `/v1/evaluations?activityId=${activityId}`)
    t.match(
      after.items.find((e: Json) => e.direction === 'attendee_to_host'),
      { hidden: true, comment: null, reply: '谢谢您的肯定，下次讲座再见！' },
      'hidden: its words are gone, the reply stays',
    )
    await attendee.goto(`${base}/activities/${activityId}`)
    await attendee.getByText('这条评价因违反社区规范已被审核员隐藏。').waitFor()
  })

  await t.test('the calendar shows the month with its activities', async (t) => {
    await attendee.goto(`${base}/activities?view=calendar`)
    await attendee.getByRole('button', { name: '按周' }).click()
    await attendee.getByRole('button', { name: '下一周' }).waitFor()
    await attendee.getByRole('button', { name: '按月' }).click()
    await attendee.locator('.month-grid .day').first().waitFor()
    await capture(attendee, 'activities-calendar')
    t.pass('calendar shown')
  })

  t.same(
    Object.fromEntries(Object.entries(checked).map(([name, v]) => [name, describeViolations(v)])),
    Object.fromEntries(Object.keys(checked).map((name) => [name, []])),
    'no serious or critical accessibility violations',
  )
  t.same(pageErrors, [], 'no script errors')
})
