import type { Page } from 'playwright-core'
import type { Test } from 'tap'

/**
 * The session steps of the web UI test (ui.test.ts), for a member signed in with email and password who
 * belongs to 杨浦区五角场街道总工会: the rotating refresh token across a reload, a silent refresh of an
 * expired access token, the language switch, signing out, a spent refresh token and signing in again.
 */
export async function sessionSteps(
  t: Test,
  { base, page, email, password }: { base: string; page: Page; email: string; password: string },
) {
  let spentRefreshToken = ''

  await t.test('the session survives a reload through the rotating refresh token', async (t) => {
    const before = await page.evaluate("localStorage.getItem('commons.refreshToken')")
    await page.goto(`${base}/orgs`)
    await page.getByRole('heading', { level: 1, name: '我的组织' }).waitFor()
    await page.getByRole('link', { name: '杨浦区五角场街道总工会' }).waitFor()
    const after = await page.evaluate("localStorage.getItem('commons.refreshToken')")
    t.ok(before && after && before !== after, 'a new refresh token replaced the spent one')
    spentRefreshToken = String(before)
  })

  await t.test('an expired access token is refreshed silently and the request retried', async (t) => {
    const refreshes: string[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/auth/refresh')) refreshes.push(request.url())
    })
    let answered = false
    // The first member list request meets an expired token, as it would 15 minutes after sign-in.
    await page.route('**/v1/organizations/*/members', async (route) => {
      if (answered) return route.continue()
      answered = true
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'urn:commons:problem:token_expired',
          title: 'Unauthorized',
          status: 401,
          code: 'token_expired',
        }),
      })
    })
    await page.getByRole('link', { name: '杨浦区五角场街道总工会' }).click()
    await page.getByRole('cell', { name: email }).waitFor()
    t.ok(answered, 'the expired answer was given')
    t.equal(refreshes.length, 1, 'one refresh, then the request went through')
    await page.unroute('**/v1/organizations/*/members')
  })

  await t.test('English is one switch away and is remembered', async (t) => {
    await page.getByRole('link', { name: '我的组织' }).click()
    await page.getByRole('heading', { level: 1, name: '我的组织' }).waitFor()
    await page.getByLabel('语言').selectOption('en')
    await page.getByRole('heading', { level: 1, name: 'My organizations' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'My organizations' }).waitFor()
    t.equal(await page.getAttribute('html', 'lang'), 'en')
    await page.getByLabel('Language').selectOption('zh-CN')
    await page.getByRole('heading', { level: 1, name: '我的组织' }).waitFor()
  })

  await t.test('signing out forgets the session', async (t) => {
    await page.getByRole('button', { name: '退出' }).click()
    await page.getByRole('link', { name: '登录' }).waitFor()
    t.equal(await page.evaluate("localStorage.getItem('commons.refreshToken')"), null)
  })

  await t.test('a refresh token that was already used signs the browser out', async (t) => {
    await page.evaluate(`localStorage.setItem('commons.refreshToken', ${JSON.stringify(spentRefreshToken)})`)
    await page.goto(`${base}/orgs`)
    await page.getByRole('heading', { level: 1, name: '请先登录' }).waitFor()
    t.equal(await page.evaluate("localStorage.getItem('commons.refreshToken')"), null, 'the spent token is dropped')
  })

  await t.test('the member signs in again', async (t) => {
    await page.getByRole('link', { name: '登录' }).first().click()
    await page.getByRole('button', { name: '邮箱密码' }).click()
    await page.getByLabel('电子邮箱').fill(email)
    await page.getByLabel('密码').fill('wrong-password-1')
    await page.getByRole('button', { name: '登录' }).last().click()
    await page.getByText('邮箱或密码不正确。').waitFor()
    await page.getByLabel('密码').fill(password)
    await page.getByRole('button', { name: '登录' }).last().click()
    await page.waitForURL(`${base}/`)
    await page.getByRole('button', { name: '退出' }).waitFor()
    t.ok(await page.evaluate("localStorage.getItem('commons.refreshToken')"), 'a new session is stored')
  })
}
