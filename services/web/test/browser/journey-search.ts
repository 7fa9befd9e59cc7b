import type { Page } from 'playwright-core'
import type { Test } from 'tap'
import type { Json } from './journey-setup.ts'
import { eventually } from './support.ts'

/**
 * The search steps of the booking journey (journey.test.ts), run by the moderator's page once the listing
 * is published: suggestions as you type, then the distance and availability-window filters.
 */
export async function searchSteps(
  t: Test,
  {
    base,
    call,
    mod,
    listing,
    capture,
  }: {
    base: string
    call: (method: string, url: string) => Promise<Json>
    mod: Page
    listing: { id: string }
    capture: (page: Page, name: string) => Promise<void>
  },
) {
  await t.test('search suggests as you type, filters by availability window and by distance from you', async (t) => {
    await eventually(async () => {
      const res = await call('GET', `/v1/suggest?q=${encodeURIComponent('会议')}`)
      return res.listings.length > 0
    }, 'the listing reaches the suggestions')
    const context = mod.context()
    await context.grantPermissions(['geolocation'], { origin: base })
    await context.setGeolocation({ latitude: 31.2201, longitude: 121.5402 })
    await mod.goto(`${base}/`)
    const box = mod.getByRole('combobox', { name: '搜索资源' })
    await box.fill('会议')
    const option = mod
      .getByRole('listbox', { name: '搜索建议' })
      .getByRole('option')
      .filter({ hasText: '党群服务中心多功能会议室' })
    await option.waitFor()
    t.equal(await box.getAttribute('aria-expanded'), 'true')
    await capture(mod, 'search-suggest')
    await box.press('ArrowDown')
    t.equal(await box.getAttribute('aria-activedescendant'), 'q-opt-0')
    await box.press('Enter')
    await mod.waitForURL(`${base}/listings/${listing.id}`)

    await mod.goto(`${base}/search?q=${encodeURIComponent('会议室')}`)
    await mod.locator('.listing-card', { hasText: '党群服务中心多功能会议室' }).waitFor()
    await mod.getByLabel('范围').selectOption('3')
    await mod.getByRole('button', { name: '使用我的位置' }).click()
    await mod.waitForURL(/near=31\.22010%2C121\.54020|near=31\.22010,121\.54020/)
    await mod
      .locator('.listing-card', { hasText: '党群服务中心多功能会议室' })
      .filter({ hasText: /\d 公里/ })
      .waitFor()
    t.pass('the card shows the distance')
    await mod.getByText('只看你附近 3 公里内的资源').waitFor()

    const start = new Date(Date.now() + 3 * 86_400_000)
    const local = (d: Date) => {
      const shanghai = new Date(d.getTime() + 8 * 3600_000)
      return `${shanghai.toISOString().slice(0, 10)}T10:00`
    }
    await mod.getByLabel('到', { exact: true }).fill(local(new Date(start.getTime() - 86_400_000)))
    await mod.getByLabel('到', { exact: true }).dispatchEvent('change')
    await mod.getByLabel('从', { exact: true }).fill(local(start))
    await mod.getByLabel('从', { exact: true }).dispatchEvent('change')
    await mod.getByText('结束时间要晚于开始时间').waitFor()
    // Open 08:00-22:00: a window running to 23:30 finds nothing, one from 10:00 to 12:00 finds the room.
    await mod.getByLabel('到', { exact: true }).fill(local(start).replace('T10:00', 'T23:30'))
    await mod.getByLabel('到', { exact: true }).dispatchEvent('change')
    await mod.waitForURL(/to=[^&]*T23%3A30/)
    await mod.getByText('没有找到符合条件的资源').waitFor()
    await mod.getByLabel('到', { exact: true }).fill(local(start).replace('T10:00', 'T12:00'))
    await mod.getByLabel('到', { exact: true }).dispatchEvent('change')
    await mod.waitForURL(/to=[^&]*T12%3A00/)
    // The room is free from 10:00 to 12:00 that day and lies within 3 km: it is still found.
    await mod
      .locator('.card-grid:not(.is-stale) .listing-card', { hasText: '党群服务中心多功能会议室' })
      .filter({ hasText: /\d 公里/ })
      .waitFor()
    await capture(mod, 'search-filters')
    t.pass('the window and distance filters are in the URL')
  })
}
