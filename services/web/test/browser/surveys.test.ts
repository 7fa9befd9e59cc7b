/**
 * Needs surveys in the browser: an organization's admin builds and publishes a survey; three people answer
 * on a 375 px phone (one anonymous, solving the challenge in the page; one signed in; one grid worker
 * entering a resident's answers); the results page shows the counts and a breakdown; the CSV has the right
 * headers; one result becomes a need that discovery matches with a listing, another an activity draft.
 * Then the organization names a parent, the parent's admin confirms it, and the parent's dashboard shows
 * the organization below it and its figures. axe-core on each page: no serious or critical findings.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import t from 'tap'
import { joinOrganization, startTestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import { everyDay, type Json, PASSWORD, publishListing, REQUEST_RULES, strictCall } from './journey-setup.ts'
import {
  BROWSER_TEST_TIMEOUT,
  CHROMIUM,
  collectErrors,
  describeViolations,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  screenshotter,
  signedInPage,
} from './support.ts'

t.setTimeout(BROWSER_TEST_TIMEOUT)

const ORG_NAME = '张江镇第一居民委员会'
const PARENT_NAME = '张江镇社区党委'

t.test(
  'a needs survey from building to action, and the parent dashboard',
  { skip: CHROMIUM ? false : NO_CHROMIUM },
  async (t) => {
    await ensureUiBuilt()
    // A lighter challenge than the default keeps the anonymous answer quick on a loaded machine; the page
    // solves it with the same code either way.
    const stack = await startTestStack(t, { SURVEY_CHALLENGE_BITS: '10' })
    const { base } = stack
    const call = strictCall(stack)
    const stamp = Date.now()
    const email = (who: string) => `${who}+${stamp}@example.org`
    const register = (who: string, displayName: string) =>
      stack.signUp({ email: email(who), password: PASSWORD, displayName })

    const admin = await register('wang', '王主任')
    const gridWorker = await register('li', '李网格员')
    await register('zhao', '赵阿姨')
    const parentAdmin = await register('chen', '陈书记')
    const provider = await register('zhou', '周主任')
    await register('he', '何审核')
    const stranger = await register('sun', '孙先生')
    stack.grantModerator(email('he'))
    const moderator = await call('POST', '/v1/auth/login', { body: { email: email('he'), password: PASSWORD } })
    const org = await call('POST', '/v1/organizations', {
      token: admin.accessToken,
      body: { name: ORG_NAME, kind: 'residents_committee', district: '浦东新区', city: '上海' },
    })
    const orgId = org.organization.id as string
    await joinOrganization(stack, org.accessToken, orgId, { email: email('li'), token: gridWorker.accessToken })
    const parent = await call('POST', '/v1/organizations', {
      token: parentAdmin.accessToken,
      body: { name: PARENT_NAME, kind: 'party_branch', district: '浦东新区', city: '上海' },
    })
    const parentId = parent.organization.id as string
    // A free venue in the district, open every day, for the need to be matched with.
    const providerOrg = await call('POST', '/v1/organizations', {
      token: provider.accessToken,
      body: { name: '张江科学城党群服务站', kind: 'party_branch', district: '浦东新区', city: '上海' },
    })
    const allDay = [{ start: '08:00', end: '22:00' }]
    const listing = await publishListing(call, providerOrg, moderator.accessToken, {
      kind: 'venue',
      title: '党群服务站活动室',
      description: '可容纳 40 人的活动室，配投影，适合培训和讲座。',
      tags: ['培训'],
      location: { city: '上海', district: '浦东新区', address: '张江路 500 号', lat: 31.2, lng: 121.59 },
      capacity: 40,
      amenities: ['projector'],
      pricing: { model: 'free' },
      rules: REQUEST_RULES,
      availability: everyDay(allDay),
    })

    const { browser, axeSource } = await launchBrowser(t)
    const { capture, checked } = screenshotter(axeSource)
    const pageErrors: string[] = []
    const signIn = (who: string, width: number) =>
      signedInPage(t, browser, { base, email: email(who), password: PASSWORD, width, errors: pageErrors })
    const host = await signIn('wang', 1280)
    let surveyId = ''

    await t.test('the admin builds a survey with every question type and publishes it', async (t) => {
      await host.goto(`${base}/orgs/${orgId}`)
      await host.getByRole('link', { name: '需求调查', exact: true }).click()
      await host.getByRole('link', { name: '新建调查' }).click()
      await host.getByLabel('调查标题').fill('张江社区居民需求调查')
      const question = (n: number) => host.locator('li.question-editor').nth(n - 1)
      const options = async (n: number, labels: string[]) => {
        for (let i = 2; i < labels.length; i++) await question(n).getByRole('button', { name: '添加选项' }).click()
        for (const [i, label] of labels.entries())
          await question(n)
            .getByLabel(`选项 ${i + 1}`, { exact: true })
            .fill(label)
      }
      await question(1).getByLabel('第 1 题').fill('您属于哪个群体？')
      await question(1).getByLabel('用于分组统计').selectOption('target_group')
      await question(1).getByLabel('必答').check()
      await options(1, ['老年人', '青少年', '上班族'])

      await host.getByRole('button', { name: '添加问题' }).click()
      await question(2).getByLabel('第 2 题').fill('您住在哪个区？')
      await question(2).getByLabel('用于分组统计').selectOption('district')
      await options(2, ['浦东新区', '黄浦区'])

      await host.getByRole('button', { name: '添加问题' }).click()
      await question(3).getByLabel('第 3 题').fill('您最需要哪些服务？')
      await question(3).getByLabel('题型').selectOption('multiple')
      await question(3).getByLabel('必答').check()
      await options(3, ['智能手机培训', '活动场地'])
      await question(3).getByLabel('选项 1 对应的资源类别').selectOption('expertise')
      await question(3).getByLabel('选项 2 对应的资源类别').selectOption('venue')

      await host.getByRole('button', { name: '添加问题' }).click()
      await question(4).getByLabel('第 4 题').fill('您对社区服务的满意度')
      await question(4).getByLabel('题型').selectOption('scale')

      await host.getByRole('button', { name: '添加问题' }).click()
      await question(5).getByLabel('第 5 题').fill('还有什么想说的？')
      await question(5).getByLabel('题型').selectOption('text')
      await capture(host, 'survey-builder')

      await host.getByRole('button', { name: '发布', exact: true }).click()
      await host.waitForURL(/\/surveys\/[0-9a-f-]+\/results$/)
      surveyId = /\/surveys\/([0-9a-f-]+)\/results/.exec(host.url())![1]!
      await host.getByRole('heading', { name: '分享调查' }).waitFor()
      t.equal(await host.locator('#share-link').inputValue(), `${base}/surveys/${surveyId}`, 'the link to share')
      await host.locator('.qr-code svg').waitFor()
      t.ok(await host.getByRole('img', { name: '「张江社区居民需求调查」的填写二维码' }).isVisible(), 'and its QR code')
      const form = await call('GET', `/v1/surveys/${surveyId}`)
      t.equal(form.status, 'published')
      t.same(
        form.questions.map((q: { type: string; role?: string }) => `${q.type}${q.role ? `:${q.role}` : ''}`),
        ['single:target_group', 'single:district', 'multiple', 'scale', 'text'],
      )
      await capture(host, 'survey-share')
    })

    const answer = async (page: Page, answers: { group: string; district: string; wants: string[]; score: number }) => {
      await page
        .getByRole('group', { name: /您属于哪个群体/ })
        .getByLabel(answers.group)
        .check()
      await page
        .getByRole('group', { name: /您住在哪个区/ })
        .getByLabel(answers.district)
        .check()
      for (const want of answers.wants)
        await page
          .getByRole('group', { name: /您最需要哪些服务/ })
          .getByLabel(want)
          .check()
      await page
        .getByRole('group', { name: /满意度/ })
        .getByLabel(String(answers.score), { exact: true })
        .check()
    }

    await t.test('an anonymous resident answers on a phone', async (t) => {
      const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' })
      t.teardown(() => context.close())
      const phone = await context.newPage()
      collectErrors(phone, pageErrors)
      await phone.goto(`${base}/surveys/${surveyId}`)
      await phone.getByRole('heading', { name: '张江社区居民需求调查' }).waitFor()
      await phone.getByRole('button', { name: '提交' }).click()
      await phone.getByText('请回答这道题').first().waitFor()
      t.equal(await phone.getByText('请回答这道题').count(), 2, 'the two required questions are named')
      await answer(phone, { group: '老年人', district: '浦东新区', wants: ['智能手机培训', '活动场地'], score: 4 })
      await phone.getByLabel(/还有什么想说的/).fill('希望多办手机培训')
      t.equal(await phone.getByText('请回答这道题').count(), 0, 'the notes go as the questions are answered')
      await capture(phone, 'survey-answer')
      await phone.getByRole('button', { name: '提交' }).click()
      await phone.getByText('感谢参与，您的回答已提交。').waitFor()
      await capture(phone, 'survey-thanks')
    })

    await t.test('a signed-in resident answers on a phone', async (t) => {
      const phone = await signIn('zhao', 375)
      await phone.goto(`${base}/surveys/${surveyId}`)
      await answer(phone, { group: '老年人', district: '浦东新区', wants: ['智能手机培训'], score: 5 })
      await phone.getByRole('button', { name: '提交' }).click()
      await phone.getByText('感谢参与，您的回答已提交。').waitFor()
      t.pass('answered')
    })

    await t.test('a grid worker enters a resident’s answers on a visit, marked as such', async (t) => {
      // The worker's membership reaches the community service through the listings feed.
      await eventually(async () => {
        const session = await call('POST', '/v1/auth/login', { body: { email: email('li'), password: PASSWORD } })
        const res = await stack.call('GET', `/v1/surveys?organizationId=${orgId}`, { token: session.accessToken })
        return res.status === 200
      }, 'the community service knows the grid worker')
      const phone = await signIn('li', 375)
      await phone.goto(`${base}/surveys/${surveyId}`)
      await phone.getByLabel('网格员代居民填写（入户走访）').check()
      await answer(phone, { group: '青少年', district: '黄浦区', wants: ['活动场地'], score: 3 })
      await phone.getByRole('button', { name: '提交' }).click()
      await phone.getByText('已标记为网格员代填。').waitFor()
      await capture(phone, 'survey-grid-worker')
      t.pass('entered')
    })

    await t.test(
      'the results page shows counts, percentages and the breakdowns; the CSV has its headers',
      async (t) => {
        await host.goto(`${base}/surveys/${surveyId}/results`)
        await host.getByTestId('responses').waitFor()
        t.equal(await host.getByTestId('responses').textContent(), '3', 'three responses')
        t.ok(await host.getByText('份由网格员代填').isVisible())
        const wants = host.locator('section.question-result', { hasText: '您最需要哪些服务？' })
        const row = (label: string) => wants.getByRole('row', { name: new RegExp(`^${label}`) })
        t.match(await row('智能手机培训').textContent(), /2\s*66\.7%/, '2 of 3 chose phone training')
        t.match(await row('活动场地').textContent(), /2\s*66\.7%/)
        t.ok(await wants.getByRole('img', { name: '「您最需要哪些服务？」各选项占比' }).isVisible(), 'a chart')
        const byGroup = host.getByRole('table', { name: '按目标群体：您最需要哪些服务？' })
        t.match(await byGroup.getByRole('row', { name: /^老年人/ }).textContent(), /老年人\s*2\s*2\s*1/)
        t.match(await byGroup.getByRole('row', { name: /^青少年/ }).textContent(), /青少年\s*1\s*0\s*1/)
        const byDistrict = host.getByRole('table', { name: '按区域：您最需要哪些服务？' })
        t.match(await byDistrict.getByRole('row', { name: /^黄浦区/ }).textContent(), /黄浦区\s*1/)
        const text = host.locator('section.question-result', { hasText: '还有什么想说的？' })
        t.ok(await text.getByText('希望多办手机培训').isVisible(), 'the organization sees free text before moderation')
        await text.getByRole('button', { name: '通过' }).click()
        await text.getByText('已通过').waitFor()
        await capture(host, 'survey-results')

        const [download] = await Promise.all([
          host.waitForEvent('download'),
          host.getByRole('button', { name: '下载表格文件' }).click(),
        ])
        const csv = await readFile((await download.path())!, 'utf8')
        t.equal(csv.charCodeAt(0), 0xfeff, 'UTF-8 with a byte order mark')
        const lines = csv.slice(1).trimEnd().split('\r\n')
        t.equal(lines[0], '维度 dimension,分组 group,问题 question,选项 option,人数 count,百分比 percent')
        t.ok(lines.includes('all,,您最需要哪些服务？,智能手机培训,2,66.7'), 'unsuppressed for the organization')
      },
    )

    await t.test('a result becomes a need that is matched with a listing, and an activity draft', async (t) => {
      const wants = host.locator('section.question-result', { hasText: '您最需要哪些服务？' })
      await wants.getByLabel('为「您最需要哪些服务？」选择一个结果').selectOption({ label: '活动场地' })
      await wants.getByRole('button', { name: '转为需求' }).click()
      const form = host.getByRole('form', { name: '把「活动场地」发布为需求' })
      t.equal(await form.getByLabel('需要的资源类别').inputValue(), 'venue', 'the kind comes from the option')
      await form.getByLabel('需求标题').fill('社区活动需要一间活动室')
      await form.getByLabel('区域').fill('浦东新区')
      await form.getByLabel('人数').fill('20')
      await form.getByRole('button', { name: '发布到需求广场' }).click()
      await host.getByText('需求已提交，稍后会出现在需求广场并自动匹配资源。').waitFor()
      const raised = await call('GET', `/v1/surveys/${surveyId}/needs`)
      t.equal(raised.items.length, 1)
      t.match(raised.items[0].evidence, /活动场地/)
      const needId = raised.items[0].needId as string
      let matched: Json
      await eventually(async () => {
        matched = await call('GET', `/v1/matches/needs/${needId}`)
        return matched.items.length > 0
      }, 'the need reaches the board and discovery matches it')
      t.same(
        matched.items.map((hit: Json) => hit.listing?.id ?? hit.id),
        [listing.id],
        'matched with the venue in the district',
      )
      const need = await call('GET', `/v1/needs/${needId}`)
      t.equal(need.surveyId, surveyId, 'the need is linked to the survey')
      await host.getByRole('button', { name: '关闭' }).click()

      await wants.getByLabel('为「您最需要哪些服务？」选择一个结果').selectOption({ label: '智能手机培训' })
      await wants.getByRole('button', { name: '转为活动草稿' }).click()
      const plan = host.getByRole('form', { name: '根据「智能手机培训」策划活动' })
      await plan.getByLabel('活动名称').fill('老年人智能手机培训班')
      await plan.getByLabel('服务对象').selectOption('elderly')
      await plan.getByLabel('区域').fill('浦东新区')
      await plan.getByLabel('地址').fill('张江路 500 号')
      await plan.getByRole('button', { name: '保存为活动草稿' }).click()
      await host.getByText('已创建活动草稿「老年人智能手机培训班」。').waitFor()
      await capture(host, 'survey-activity-draft')
    })

    await t.test('a parent confirms the organization below it and sees its figures on the dashboard', async (t) => {
      await host.goto(`${base}/orgs/${orgId}`)
      await host.getByLabel('上级组织的编号或主页链接').fill(`${base}/profiles/${parentId}`)
      await host.getByRole('button', { name: '申请隶属' }).click()
      await host.getByText('待确认').waitFor()

      const top = await signIn('chen', 1280)
      await top.goto(`${base}/orgs/${parentId}`)
      await top.getByRole('button', { name: `确认 ${ORG_NAME}` }).click()
      await top.locator('.hierarchy .status-confirmed').waitFor()
      await capture(top, 'org-hierarchy')
      await top.getByRole('link', { name: '统筹概览' }).click()
      await top.getByRole('heading', { name: `统筹概览：${PARENT_NAME}` }).waitFor()
      await eventually(async () => {
        await top.reload()
        await top.getByTestId('ov-needs').waitFor()
        return (
          (await top.getByRole('link', { name: ORG_NAME }).count()) > 0 &&
          (await top.getByTestId('ov-needs').textContent()) === '1'
        )
      }, "the overview counts the child's open need")
      t.ok(await top.getByText('下属组织（1 个）').isVisible(), 'the child is listed')
      t.ok(await top.getByRole('table', { name: '各区域、各类别的需求与供给' }).isVisible(), 'the unmet-demand table')
      await capture(top, 'overview')

      const denied = await stack.call('GET', `/v1/overview/organizations/${parentId}`, { token: stranger.accessToken })
      t.equal(denied.status, 404, 'a stranger gets 404')
    })

    await t.test('axe-core finds no serious or critical violation on the survey pages', async (t) => {
      for (const [name, violations] of Object.entries(checked)) t.same(describeViolations(violations), [], name)
    })

    await t.test('no script errors in the pages', async (t) => {
      t.same(pageErrors, [])
    })
  },
)
