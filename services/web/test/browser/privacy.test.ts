/**
 * Personal information in the web UI at 375 px (issue 20), against the whole stack: sign up accepting the
 * notice; turn an optional consent off in the settings and see discovery honour it; request an export and
 * download the archive once the job has assembled it; request closing the account, cancel, request again
 * and see the date it closes. axe-core on each page; screenshots under test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { startTestStack } from '../../../../scripts/lib/test-stack.ts'
import { ensureUiBuilt } from '../../src/ui-build.ts'
import {
  BROWSER_TEST_TIMEOUT,
  CHROMIUM,
  collectErrors,
  describeViolations,
  eventually,
  launchBrowser,
  NO_CHROMIUM,
  screenshotter,
} from './support.ts'

const PASSWORD = 'gongxiang2026ziyuan'
const ACCEPT = '我已阅读并同意《隐私政策与用户协议》'

t.setTimeout(BROWSER_TEST_TIMEOUT)

t.test('privacy in the web UI on a phone', { skip: CHROMIUM ? false : NO_CHROMIUM }, async (t) => {
  await ensureUiBuilt()
  const stack = await startTestStack(t)
  const { base } = stack
  const { browser, axeSource } = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const pageErrors: string[] = []
  collectErrors(page, pageErrors)
  const { capture, checked } = screenshotter(axeSource)
  const email = `zhou+${Date.now()}@example.org`
  const token = async () =>
    (await stack.call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } })).body.accessToken as string

  await t.test('sign-up asks for the notice to be accepted and records it with the optional consents', async (t) => {
    await page.goto(`${base}/signup`)
    await page.getByLabel('姓名或昵称').fill('周丽华')
    await page.getByLabel('电子邮箱').fill(email)
    await page.getByLabel('密码').fill(PASSWORD)
    await page.getByRole('button', { name: '注册' }).click()
    await page.getByText('请先阅读并同意隐私政策与用户协议').waitFor()
    t.equal(await page.getByLabel(ACCEPT).getAttribute('aria-invalid'), 'true')
    await page.getByLabel(ACCEPT).check()
    await page.getByLabel('根据我的浏览记录推荐资源').check()
    await capture(page, 'privacy-signup')
    await page.getByRole('button', { name: '注册' }).click()
    // The link of the verification mail (the development log's copy) signs the newcomer in.
    await page.getByRole('heading', { level: 1, name: '请查收验证邮件' }).waitFor()
    await page.goto(`${base}/verify-email?token=${await stack.verificationToken(email)}`)
    await page.waitForURL(`${base}/orgs`)
    const status = (await stack.call('GET', '/v1/me/privacy', { token: await token() })).body
    t.equal(status.mustAcceptNotice, false)
    t.ok(status.acceptedAt, 'the acceptance time is recorded')
    t.same(status.consents, { personalisedRecommendations: true, emailNotifications: false })
  })

  await t.test('the notice and terms are linked from the footer', async (t) => {
    await page.getByRole('contentinfo').getByRole('link', { name: '隐私政策' }).click()
    await page.waitForURL(`${base}/privacy`)
    await page.getByRole('heading', { level: 1, name: '共享资源超市 隐私政策与用户协议' }).waitFor()
    t.ok(await page.getByRole('heading', { level: 2, name: '你的权利' }).isVisible())
    await capture(page, 'privacy-notice')
  })

  await t.test('withdrawing personalised recommendations in the settings is honoured by discovery', async (t) => {
    await page.getByRole('contentinfo').getByRole('link', { name: '隐私与账号' }).click()
    await page.waitForURL(`${base}/settings/privacy`)
    const box = page.getByLabel('根据我的浏览记录推荐资源')
    t.equal(await box.isChecked(), true)
    await box.uncheck()
    await page.getByText('已保存。').waitFor()
    const access = await token()
    t.equal(
      (await stack.call('GET', '/v1/me/privacy', { token: access })).body.consents.personalisedRecommendations,
      false,
    )
    await eventually(
      async () => (await stack.call('GET', '/v1/recommendations', { token: access })).body.personalised === false,
      'discovery stops personalising',
    )
  })

  await t.test('an export is requested, followed, and downloaded once ready', async (t) => {
    await page.getByRole('button', { name: '申请导出' }).click()
    const link = page.getByRole('link', { name: '下载我的数据' })
    // The job asks every service for its part; it is done when the link appears.
    await link.waitFor({ timeout: 120_000 })
    t.ok(await page.getByText(/下载链接有效期至/).isVisible(), 'the expiry is shown')
    await capture(page, 'privacy-settings')
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    const archive = JSON.parse(await readFile((await download.path())!, 'utf8'))
    t.ok(archive.userId)
    t.match(JSON.stringify(archive.parts.listings), email, 'the archive holds the profile')
  })

  await t.test('closing the account: re-authenticate, cancel, ask again and see the date', async (t) => {
    await page.getByLabel('再次输入密码').fill('not-the-password')
    await page.getByRole('button', { name: '申请注销账号' }).click()
    await page.getByRole('alert').waitFor()
    await page.getByLabel('再次输入密码').fill(PASSWORD)
    await page.getByRole('button', { name: '申请注销账号' }).click()
    await page.getByText(/账号将于 .+ 注销/).waitFor()
    await page.getByRole('button', { name: '撤销注销申请' }).click()
    await page.getByText('已撤销注销申请，账号会继续保留。').waitFor()
    t.equal((await stack.call('GET', '/v1/me/privacy', { token: await token() })).body.deletion, null)

    await page.getByLabel('再次输入密码').fill(PASSWORD)
    await page.getByRole('button', { name: '申请注销账号' }).click()
    const pending = page.getByText(/账号将于 .+ 注销/)
    await pending.waitFor()
    const deletion = (await stack.call('GET', '/v1/me/privacy', { token: await token() })).body.deletion
    const closes = new Intl.DateTimeFormat('zh-CN', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    }).format(new Date(deletion.closesAt))
    t.match(await pending.textContent(), closes, 'the cooling-off end is the one the API keeps')
    await capture(page, 'privacy-deletion')
  })

  t.test('no serious or critical axe violations, no script errors', async (t) => {
    t.ok(Object.keys(checked).length >= 8)
    for (const [name, violations] of Object.entries(checked)) t.same(describeViolations(violations), [], name)
    t.same(pageErrors, [])
  })
})
