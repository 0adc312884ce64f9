import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  expectAccessible,
  screenshot,
  startScreensApp,
  waitForWorklist,
  type ScreensApp,
} from './screens-app'

describe('worklist in Chromium, from the sandbox', () => {
  let s: ScreensApp

  beforeAll(async () => {
    s = await startScreensApp()
  })
  afterAll(async () => s?.close())

  it('lists every pending appointment, urgent first, with the site time zone shown', async () => {
    const grid = await waitForWorklist(s.page)
    const pending = (await s.app.services.client!.walkPending()).length
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(pending + 1))
    const firstPriority = await grid.getByRole('row').nth(1).getByRole('gridcell').first().textContent()
    expect(firstPriority).toMatch(/STAT|Urgent/)
    const time = await grid.getByRole('row').nth(1).getByRole('gridcell').nth(8).textContent()
    expect(time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} [A-Z+\d]{3,6}$/)
    await expect
      .poll(() => s.page.getByRole('status', { name: 'Connection' }).textContent())
      .toMatch(/Online/)
    await expectAccessible(s.page, 'worklist')
    await screenshot(s.page, 'worklist-dark')
    await s.page.keyboard.press('t')
    await expectAccessible(s.page, 'worklist (light)')
    await screenshot(s.page, 'worklist-light')
    await s.page.keyboard.press('t')
  })

  it('sorts by a column and filters by text', async () => {
    const grid = await waitForWorklist(s.page)
    const names = async () => {
      const rows = await grid.getByRole('row').all()
      return Promise.all(rows.slice(1).map((r) => r.getByRole('gridcell').nth(2).innerText()))
    }
    await s.page.getByRole('button', { name: 'Patient', exact: true }).click()
    const sorted = await names()
    expect(sorted).toEqual([...sorted].sort((a, b) => a.localeCompare(b)))
    const first = sorted[0]!
    await s.page.keyboard.press('/')
    await s.page.keyboard.type(first.split(',')[0]!)
    await expect.poll(async () => (await names()).every((n) => n.startsWith(first.split(',')[0]!))).toBe(true)
    expect((await names()).length).toBeGreaterThan(0)
    expect((await names()).length).toBeLessThan(sorted.length)
    await s.page.getByRole('searchbox', { name: 'Filter worklist' }).fill('')
    expect(s.consoleErrors).toEqual([])
  })
})
