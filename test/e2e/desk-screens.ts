import type { Page } from 'playwright-core'
import { startDesktopE2e, type DesktopE2e } from '../support/desktop-e2e'
import { screenshot } from './screens-app'

/** The desktop fixture at the first-run screen, with page errors collected. */
export async function openFirstRun(): Promise<{ e2e: DesktopE2e; pageErrors: string[] }> {
  const e2e = await startDesktopE2e()
  const pageErrors: string[] = []
  e2e.page.on('pageerror', (error) => pageErrors.push(error.message))
  await e2e.page.setViewportSize({ width: 1366, height: 768 })
  await e2e.page.goto(e2e.url)
  return { e2e, pageErrors }
}

/** The header's theme button (works on every screen, first run included). */
export const themeButton = (page: Page) => async (theme: 'dark' | 'light') => {
  if ((await page.locator('html').getAttribute('data-theme')) !== theme)
    await page.getByRole('button', { name: theme === 'light' ? 'Light theme' : 'Dark theme' }).click()
}

/** Both themes at 1366×768 and 1920×1080, of the screen as it is now (test-results/e2e/desk-*.png). */
export async function screenshotsOf(
  page: Page,
  name: string,
  setTheme: (theme: 'dark' | 'light') => Promise<void>,
) {
  for (const theme of ['dark', 'light'] as const) {
    await setTheme(theme)
    await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' })
    for (const [width, height] of [
      [1366, 768],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height })
      await screenshot(page, `desk-${name}-${theme}-${width}x${height}`)
    }
  }
  await page.setViewportSize({ width: 1366, height: 768 })
}
