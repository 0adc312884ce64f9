import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  expectAccessible,
  screenshot,
  startScreensApp,
  waitForWorklist,
  type ScreensApp,
} from './screens-app'

describe('appointment view in Chromium', () => {
  let s: ScreensApp

  beforeAll(async () => {
    s = await startScreensApp()
  })
  afterAll(async () => s?.close())

  it('opens the selected appointment with Enter and shows the patient banner, clinical info and comments', async () => {
    const grid = await waitForWorklist(s.page)
    await grid.focus()
    await s.page.keyboard.press('ArrowDown')
    const name = await grid.locator('[aria-selected="true"]').getByRole('gridcell').nth(2).innerText()
    await s.page.keyboard.press('Enter')
    const banner = s.page.getByRole('region', { name: 'Patient' })
    await expect.poll(() => banner.getByRole('heading').innerText()).toBe(name)
    await expect.poll(() => s.page.getByRole('heading', { name: 'Comments and alerts' }).count()).toBe(1)
    expect(await s.page.getByRole('region', { name: 'Report' }).count()).toBe(1)
    await expectAccessible(s.page, 'appointment')
    await screenshot(s.page, 'appointment-dark')
    await s.page.keyboard.press('t')
    await expectAccessible(s.page, 'appointment (light)')
    await screenshot(s.page, 'appointment-light')
    await s.page.keyboard.press('t')
  })

  it('adds a comment while QUBS is unreachable and shows it delivered once QUBS is back', async () => {
    await s.app.sandbox.stop()
    // A refresh finds QUBS unreachable: the status says so, the cached copy stays on screen.
    await s.page.getByRole('button', { name: '← Worklist' }).click()
    await s.page.getByRole('button', { name: 'Refresh' }).click()
    await expect
      .poll(() => s.page.getByRole('status', { name: 'Connection' }).innerText(), { timeout: 20_000 })
      .toMatch(/Offline/)
    await s.page.getByRole('grid', { name: 'Worklist' }).focus()
    await s.page.keyboard.press('Enter')
    await s.page.getByLabel('New comment').fill('E2E offline comment: please send priors.')
    await s.page.getByRole('button', { name: 'Add comment' }).click()
    const submitted = s.page.getByRole('list', { name: 'Submitted comments' }).getByRole('listitem')
    await expect.poll(() => submitted.getAttribute('data-state')).toMatch(/queued|sending/)
    expect(await s.page.getByRole('button', { name: /Outbox: [1-9]\d* waiting/ }).count()).toBe(1)

    await s.app.sandbox.start()
    await s.page.getByRole('button', { name: /Outbox: \d+ waiting/ }).click()
    await s.page.getByRole('button', { name: 'Sync now' }).click()
    await s.page.getByRole('button', { name: 'Worklist', exact: true }).click()
    await s.page.getByRole('grid', { name: 'Worklist' }).focus()
    await s.page.keyboard.press('Enter')
    await expect.poll(() => submitted.getAttribute('data-state'), { timeout: 30_000 }).toBe('delivered')
    expect(s.consoleErrors).toEqual([])
  })
})
