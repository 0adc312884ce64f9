import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import type { DesktopE2e } from '../support/desktop-e2e'
import { openFirstRun, screenshotsOf, themeButton } from './desk-screens'
import { expectAccessible, waitForWorklist } from './screens-app'

/** The settings screen's own theme picker, so the screenshots show it applied at once. */
const themePicker = (page: Page) => async (theme: 'dark' | 'light') => {
  await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme)
}

async function startOnDemo() {
  const opened = await openFirstRun()
  await opened.e2e.page.getByRole('button', { name: /Try the demo/ }).click()
  await waitForWorklist(opened.e2e.page)
  return opened
}

describe('settings and support in Chromium (browser harness)', () => {
  let desk: DesktopE2e | undefined
  let pageErrors: string[] = []
  afterEach(async () => {
    await desk?.close()
    desk = undefined
  })

  it('round trip, keyboard only: change, save, reload, still there; the theme applies at once', async () => {
    ;({ e2e: desk, pageErrors } = await startOnDemo())
    const { page } = desk
    // S opens the settings; the section list and every field are reached with Tab.
    await page.locator('[role="grid"]').focus()
    await page.keyboard.press('s')
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor()
    // Tab to the section list's "Clinician profile", Enter jumps there, Tab reaches its first field.
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    const name = page.getByRole('region', { name: 'Clinician profile' }).getByLabel('Name')
    expect(await name.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
    await page.keyboard.type('Dr Test Example')
    await page.keyboard.press('Enter')
    await page.getByRole('region', { name: 'Clinician profile' }).getByText('Saved.').waitFor()

    const interval = page.getByLabel(/Refresh the worklist every/)
    await interval.fill('5')
    const syncRegion = page.getByRole('region', { name: 'Sync' })
    expect(await syncRegion.getByRole('alert').textContent()).toMatch(/15/)
    await interval.fill('120')
    await interval.press('Enter')
    await syncRegion.getByText('Saved.').waitFor()

    const theme = page.getByRole('combobox', { name: 'Theme' })
    await theme.focus()
    await theme.selectOption('light')
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light')

    await expectAccessible(page, 'settings')
    await screenshotsOf(page, 'settings', themePicker(page))
    await page.getByRole('link', { name: 'Shortcuts and microphone' }).click()
    await page.getByRole('button', { name: 'Add a key for Next case' }).click()
    await page.keyboard.press('Control+Shift+F9')
    expect(await page.getByText('Ctrl+Shift+F9').count()).toBe(1)
    await screenshotsOf(page, 'settings-shortcuts', themePicker(page))
    await theme.selectOption('light')

    await page.reload()
    await waitForWorklist(page)
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light')
    await page.keyboard.press('s')
    expect(
      await page.getByRole('region', { name: 'Clinician profile' }).getByLabel('Name').inputValue(),
    ).toBe('Dr Test Example')
    expect(await page.getByLabel(/Refresh the worklist every/).inputValue()).toBe('120')
    expect(await page.getByRole('region', { name: 'Sync' }).getByText('yours').count()).toBe(1)
    expect(pageErrors).toEqual([])
  })

  it('support information copied to the clipboard has versions and mode but no patient details', async () => {
    ;({ e2e: desk, pageErrors } = await startOnDemo())
    const { page } = desk
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    // Fake patients on screen now: none of their names may reach the support text.
    const names = await page.getByRole('grid', { name: 'Worklist' }).locator('.col-name').allTextContents()
    const patients = names.map((n) => n.trim()).filter((n) => n && n !== 'Patient')
    expect(patients.length).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Support' }).click()
    await page.getByRole('button', { name: 'Copy support information' }).click()
    await page.getByText(/Support information copied/).waitFor()
    const copied = await page.evaluate<string>('navigator.clipboard.readText()')
    expect(copied).toMatch(/0\.1\.0/)
    expect(copied.toLowerCase()).toMatch(/demo/)
    for (const patient of patients) {
      for (const part of patient.split(/[ ,]+/).filter((p) => p.length > 2))
        expect(copied).not.toContain(part)
    }
    await page.getByRole('button', { name: 'Export diagnostics' }).click()
    await page.getByText(/Diagnostics saved to .*exports/).waitFor()
    await expectAccessible(page, 'support')
    await screenshotsOf(page, 'support', themeButton(page))
    expect(pageErrors).toEqual([])
  })
})
