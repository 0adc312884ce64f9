import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  expectAccessible,
  screenshot,
  startScreensApp,
  waitForWorklist,
  type ScreensApp,
} from './screens-app'

describe('outbox panel, status and help in Chromium', () => {
  let s: ScreensApp

  beforeAll(async () => {
    s = await startScreensApp()
  })
  afterAll(async () => s?.close())

  it('shows every submission with its state in the Outbox region, and the shortcut help', async () => {
    await waitForWorklist(s.page)
    const [first] = await s.app.services.client!.walkPending()
    await s.app.services.outbox.enqueueComment('demo', first!.appointmentId, {
      commentText: 'E2E outbox check.',
    })
    await s.app.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
    await s.page.keyboard.press('o')
    const region = s.page.getByRole('region', { name: 'Outbox' })
    const row = region.getByRole('row', {
      name: new RegExp(`comment for ${first!.appointmentId}: delivered`),
    })
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1)
    await expect.poll(() => s.page.getByRole('button', { name: 'Outbox: 0 waiting' }).count()).toBe(1)
    await expectAccessible(s.page, 'outbox')
    await screenshot(s.page, 'outbox-dark')

    await s.page.keyboard.press('?')
    const help = s.page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    expect(await help.getByText('Filter the worklist').count()).toBe(1)
    await expectAccessible(s.page, 'help')
    await screenshot(s.page, 'help-dark')
    await s.page.keyboard.press('Escape')
    expect(await help.count()).toBe(0)
    await s.page.keyboard.press('w')
    await waitForWorklist(s.page)
    expect(s.consoleErrors).toEqual([])
  })
})
