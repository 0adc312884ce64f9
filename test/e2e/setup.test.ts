import { afterEach, describe, expect, it } from 'vitest'
import { QUBS_E2E_SECRET, type DesktopE2e } from '../support/desktop-e2e'
import { openFirstRun, screenshotsOf, themeButton } from './desk-screens'
import { expectAccessible, waitForWorklist } from './screens-app'

describe('first run in Chromium (browser harness)', () => {
  let desk: DesktopE2e | undefined
  let pageErrors: string[] = []
  afterEach(async () => {
    await desk?.close()
    desk = undefined
  })

  it('welcome → Try the demo → the demo worklist, marked DEMO on every screen', async () => {
    ;({ e2e: desk, pageErrors } = await openFirstRun())
    const { page } = desk
    await page.getByRole('heading', { name: 'Welcome to QUBS Reporter' }).waitFor()
    await expectAccessible(page, 'welcome')
    await screenshotsOf(page, 'first-run-welcome', themeButton(page))
    // Keyboard only: Tab to the demo choice and press Enter.
    await page.keyboard.press('Tab')
    const choice = page.getByRole('button', { name: /Try the demo/ })
    for (let i = 0; i < 12 && !(await choice.evaluate((el) => el === el.ownerDocument.activeElement)); i++)
      await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await waitForWorklist(page)
    expect(await page.getByTestId('app-mode').textContent()).toBe('DEMO')
    expect(await page.getByTestId('demo-banner').isVisible()).toBe(true)
    await page.keyboard.press('o')
    await page
      .getByRole('heading', { name: /Outbox/ })
      .first()
      .waitFor()
    expect(await page.getByTestId('demo-banner').isVisible()).toBe(true)
    await screenshotsOf(page, 'demo-outbox', themeButton(page))
    expect(pageErrors).toEqual([])
  })

  it('Connect to QUBS: a bad secret is explained with its ids, the right one tests OK and connects', async () => {
    ;({ e2e: desk, pageErrors } = await openFirstRun())
    const { page, qubs } = desk
    await page.getByRole('button', { name: /Connect to QUBS/ }).click()
    await page.getByLabel('Token URL').fill(qubs.tokenUrl)
    await page.getByLabel('API base URL').fill(qubs.apiBaseUrl)
    await page.getByLabel('Client id').fill(qubs.clientId)
    await page.getByLabel('Client secret').fill('not-the-secret')
    await page.getByLabel('Domains').fill('acme')
    await page.getByRole('button', { name: 'Test connection' }).click()
    const result = page.getByTestId('connection-test')
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/failed/)
    const explained = (await result.textContent()) ?? ''
    expect(explained).toMatch(/refused/i)
    expect(explained).toMatch(/requestId \S+/)
    await screenshotsOf(page, 'first-run-connect-refused', themeButton(page))

    await page.getByLabel('Client secret').fill(QUBS_E2E_SECRET)
    await page.getByRole('button', { name: 'Test connection' }).click()
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/Connection works/)
    await page.getByRole('button', { name: 'Save and connect' }).click()
    await waitForWorklist(page)
    await expect.poll(() => page.getByTestId('app-mode').textContent()).toBe('QUBS')
    expect(await page.getByTestId('demo-banner').count()).toBe(0)
    // The secret is never shown back: the settings' connection form has it empty, "stored".
    await page.keyboard.press('s')
    const secret = page.getByLabel('Client secret')
    expect(await secret.inputValue()).toBe('')
    expect(await page.getByText('a secret is stored; leave empty to keep it').count()).toBe(1)
    expect(await page.content()).not.toContain(QUBS_E2E_SECRET)
    expect(pageErrors).toEqual([])
  })
})
