import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  expectAccessible,
  screenshot,
  startScreensApp,
  waitForWorklist,
  type ScreensApp,
} from './screens-app'

/**
 * Lock and "wipe local data" in Chromium on the real core: the lock overlay hides every patient detail
 * (nothing of the app is painted or in the text of the page), unlock returns to the same screen, and a
 * wipe starts the app over on an empty offline copy that refreshes from QUBS. Screenshots of both, in
 * both themes, land in test-results/e2e.
 */
describe('lock and wipe (Chromium, harness)', () => {
  let s: ScreensApp
  let patientNames: string[]

  beforeAll(async () => {
    s = await startScreensApp({ appointments: 20 })
    const refresh = await s.app.core.refreshWorklist()
    const chunk = s.app.core.getWorklistChunk(refresh.refreshId, 0)
    // The worklist shows names in its own format: look for each part of them (surname, given names).
    patientNames = [
      ...new Set(
        (await chunk).items.flatMap((item) =>
          (item.patientName ?? '').split(/[\s,^]+/).filter((p) => p.length >= 4),
        ),
      ),
    ]
    expect(patientNames.length).toBeGreaterThan(0)
  }, 60_000)

  afterAll(async () => {
    await s?.close()
  })

  const visibleText = () => s.page.locator('body').innerText()
  /** Switches with the app's own button, so the whole app (not only the page) is in that theme. */
  const useTheme = async (theme: 'dark' | 'light') => {
    const toggle = s.page.getByRole('button', { name: theme === 'light' ? 'Light theme' : 'Dark theme' })
    if ((await toggle.count()) > 0) await toggle.click()
    await expect.poll(() => s.page.locator('html').getAttribute('data-theme')).toBe(theme)
  }

  it('locks from the header: an opaque "Locked" dialog, no patient detail painted, unlock returns', async () => {
    const { page } = s
    await waitForWorklist(page)
    const before = await visibleText()
    expect(patientNames.some((name) => before.includes(name))).toBe(true)
    for (const theme of ['dark', 'light'] as const) {
      await useTheme(theme)
      await page.getByRole('button', { name: 'Lock' }).click()
      const dialog = page.getByRole('dialog', { name: 'Locked' })
      await expect.poll(() => dialog.isVisible()).toBe(true)
      const text = await visibleText()
      for (const name of patientNames) expect(text).not.toContain(name)
      expect(await page.title()).toBe('QUBS Reporter — locked')
      await expectAccessible(page, `lock (${theme})`)
      await screenshot(page, `lock-${theme}`)
      await page.keyboard.press('Enter')
      await expect.poll(() => dialog.count()).toBe(0)
      await waitForWorklist(page)
    }
  })

  it('locks with Ctrl+L', async () => {
    await s.page.keyboard.press('Control+l')
    await expect.poll(() => s.page.getByRole('dialog', { name: 'Locked' }).count()).toBe(1)
    await s.page.getByRole('button', { name: 'I am back' }).click()
  })

  it('wipes local data after confirming, then shows the worklist again from QUBS', async () => {
    const { page } = s
    for (const theme of ['dark', 'light'] as const) {
      await useTheme(theme)
      // With the privacy settings, not in the header.
      await page
        .getByRole('navigation', { name: 'Screens' })
        .getByRole('button', { name: 'Settings' })
        .click()
      await page
        .getByRole('region', { name: 'Privacy' })
        .getByRole('button', { name: 'Wipe local data…' })
        .click()
      await expect.poll(() => page.getByRole('dialog', { name: 'Wipe local data' }).isVisible()).toBe(true)
      await expectAccessible(page, `wipe dialog (${theme})`)
      await screenshot(page, `wipe-dialog-${theme}`)
      if (theme === 'dark') await page.getByRole('button', { name: 'Cancel' }).click()
    }
    const keyBefore = (await s.app.core.getCacheKey()).keyId
    await page.getByRole('button', { name: 'Wipe local data', exact: true }).click()
    await page.waitForEvent('load')
    await waitForWorklist(page)
    expect((await s.app.core.getCacheKey()).keyId).not.toBe(keyBefore)
  })
})
