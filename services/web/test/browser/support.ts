import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestContext } from '@commons/testkit'
import { type Browser, chromium, type Page } from 'playwright-core'

/** Helpers shared by the browser tests. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots')
/**
 * tap's per-file timeout for the browser tests: a whole stack and a browser on a shared 2-core machine can
 * outlast tap's 180 s. The steps wait for conditions; this only moves the backstop.
 */
const DAY = 86_400_000
/** `YYYY-MM-DD` in Shanghai, `days` from now: the listing's date strip names its days so. */
export const shanghaiDate = (days: number) =>
  new Date(Date.now() + days * DAY).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

export const BROWSER_TEST_TIMEOUT = 30 * 60_000
/** Debian's Chromium; the tests are skipped, saying so, where it is missing. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
export const NO_CHROMIUM = 'chromium not found (apt-get install -y chromium)'

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: string[] }>
}

/**
 * Headless Chromium with the flags this machine needs (no background networking: its connections are
 * refused here), closed at teardown; with axe-core's source to inject into pages.
 */
export async function launchBrowser(t: TestContext): Promise<{ browser: Browser; axeSource: string }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM!,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // playwright gives each launch a new, empty profile directory of its own (a fresh user data dir).
  })
  t.teardown(() => browser.close())
  const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  await mkdir(SCREENSHOTS, { recursive: true })
  return { browser, axeSource }
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page, axeSource: string): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (scripts from self only) does not block it.
  await page.evaluate(axeSource)
  const result = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  )) as { violations: AxeViolation[] }
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** Polls `check` until it holds; the event feeds make other services catch up within seconds. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`timed out waiting until ${what}`)
}

/** Collects the page's uncaught exceptions and console errors (failed loads aside: the tests provoke 4xx). */
export function collectErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(msg.text())
  })
}

/** axe-core on the page as it is, recorded in `checked` under `name`, and a full-page screenshot `<file>.png`. */
export async function checkPage(
  page: Page,
  axeSource: string,
  checked: Record<string, AxeViolation[]>,
  name: string,
  file: string,
): Promise<void> {
  checked[name] = await seriousViolations(page, axeSource)
  await page.screenshot({ path: path.join(SCREENSHOTS, `${file}.png`), fullPage: true })
}

/**
 * `capture(page, name)`: axe-core on the page as it is, recorded in `checked`, then full-page screenshots at
 * desktop (1280 px) and phone (375 px) widths; the page's viewport is restored afterwards.
 */
export function screenshotter(axeSource: string) {
  const checked: Record<string, AxeViolation[]> = {}
  const capture = async (page: Page, name: string) => {
    const size = page.viewportSize()!
    await page.setViewportSize({ width: 1280, height: 900 })
    await checkPage(page, axeSource, checked, name, `${name}-1280`)
    await page.setViewportSize({ width: 375, height: 812 })
    await checkPage(page, axeSource, checked, `${name} (375 px)`, `${name}-375`)
    await page.setViewportSize(size)
  }
  return { capture, checked }
}

/** One line per violation found by {@link seriousViolations}: the rule, its help text and where. */
export function describeViolations(violations: AxeViolation[]): string[] {
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

/**
 * A browser context of its own for one person (cookies and storage apart from the others), signed in
 * through the sign-in form, its script errors collected; closed at teardown.
 */
export async function signedInPage(
  t: TestContext,
  browser: Browser,
  opts: { base: string; email: string; password: string; width: number; errors: string[] },
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: opts.width, height: 900 }, locale: 'zh-CN' })
  t.teardown(() => context.close())
  const page = await context.newPage()
  collectErrors(page, opts.errors)
  await page.goto(`${opts.base}/signin`)
  await page.getByRole('button', { name: '邮箱密码' }).click()
  await page.getByLabel('电子邮箱').fill(opts.email)
  await page.getByLabel('密码').fill(opts.password)
  await page.getByRole('button', { name: '登录' }).last().click()
  await page.waitForURL(`${opts.base}/`)
  return page
}
