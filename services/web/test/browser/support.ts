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
