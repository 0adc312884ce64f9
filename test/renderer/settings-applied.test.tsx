import { act, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ApiMethods } from '../../src-preload/contract'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { attachmentLimitsFromSettings } from '../../src-renderer/src/features/attachments/attachment-services'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { useSettingsStore } from '../../src-renderer/src/stores/settings-store'
import { installFakeBridge } from './fake-bridge'
import { fakeSettings } from './fake-settings'
import { appointment, worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

const freshDb = () => new ReporterDatabase(`test-${crypto.randomUUID()}`)

describe('settings applied without a restart', { timeout: 20_000 }, () => {
  useFreshStores()
  afterEach(() => vi.useRealTimers())

  it('moves the page’s old prefs to main once, never over a value set in main, and drops the old rows', async () => {
    const db = freshDb()
    await db.prefs.bulkPut([
      { key: 'shell.theme', value: 'light' },
      { key: 'shell.zoom', value: 1.25 },
      { key: 'worklist.deadlineThresholds', value: { amberMinutes: 120 } },
      { key: 'attachments.cache', value: { prefetchCount: 5, capBytes: 200 * 1024 * 1024 } },
      { key: 'worklist.sort', value: null },
    ])
    const settings = fakeSettings({ user: { appearance: { zoom: 1.5 } } })
    installFakeBridge({ ...worklistMethods(() => [appointment()]), ...settings.methods })
    render(<AppShell db={db} />)
    await waitFor(() => expect(settings.patches).toHaveLength(1))
    expect(settings.patches[0]).toEqual({
      appearance: { theme: 'light' },
      worklist: { amberMinutes: 120 },
      attachments: { prefetchCount: 5, cacheCapMB: 200 },
    })
    expect(settings.settings.appearance).toEqual({ theme: 'light', zoom: 1.5 })
    await waitFor(async () =>
      expect((await db.prefs.toArray()).map((r) => r.key)).not.toContain('shell.theme'),
    )
    const left = (await db.prefs.toArray()).map((r) => r.key)
    expect(left).not.toContain('attachments.cache')
    expect(left).toContain('worklist.sort')
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('light'))
  })

  it('recolours the countdowns when the thresholds change in main', async () => {
    const settings = fakeSettings()
    const fake = installFakeBridge({
      ...worklistMethods(() => [
        appointment({ reportNeededBy: new Date(Date.now() + 30 * 60_000).toISOString() }),
      ]),
      ...settings.methods,
    })
    render(<AppShell db={freshDb()} />)
    await screen.findByRole('grid', { name: 'Worklist' })
    const cell = () =>
      document.querySelector('.col-deadline[role="gridcell"], [role="gridcell"].col-deadline')
    await waitFor(() => expect(cell()?.className).toContain('deadline-near'))
    const view = await settings.methods.updateSettings({ worklist: { amberMinutes: 20, redMinutes: 10 } })
    act(() => fake.emit('settingsChanged', view))
    expect(cell()?.className).toContain('deadline-ok')
    const red = await settings.methods.updateSettings({ worklist: { amberMinutes: 90, redMinutes: 45 } })
    act(() => fake.emit('settingsChanged', red))
    expect(cell()?.className).toContain('deadline-urgent')
  })

  it('restarts the background refresh on the new interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const settings = fakeSettings({ user: { sync: { worklistIntervalSeconds: 3600 } } })
    const methods = worklistMethods(() => [appointment()])
    const refreshWorklist = vi.fn(methods.refreshWorklist!)
    const fake = installFakeBridge({
      ...methods,
      ...settings.methods,
      refreshWorklist,
    } as Partial<ApiMethods>)
    render(<AppShell db={freshDb()} />)
    await screen.findByRole('grid', { name: 'Worklist' })
    await waitFor(() => expect(refreshWorklist).toHaveBeenCalledTimes(1))
    act(() => vi.advanceTimersByTime(60_000))
    expect(refreshWorklist).toHaveBeenCalledTimes(1)
    const view = await settings.methods.updateSettings({ sync: { worklistIntervalSeconds: 15 } })
    act(() => fake.emit('settingsChanged', view))
    act(() => vi.advanceTimersByTime(15_000))
    await waitFor(() => expect(refreshWorklist).toHaveBeenCalledTimes(2))
  })

  it('the attachment prefetch count and cache cap are settings.attachments (the cap in MB)', () => {
    const settings = useSettingsStore.getState().settings
    useSettingsStore.setState({
      settings: { ...settings, attachments: { prefetchCount: 3, cacheCapMB: 50 } },
    })
    expect(attachmentLimitsFromSettings()).toEqual({ prefetchCount: 3, capBytes: 50 * 1024 * 1024 })
  })
})

describe('theme and zoom when main keeps no settings', () => {
  useFreshStores()

  it('still switch for this session (nothing to save them in), and a refusal is shown and undone', async () => {
    const { QubsIpcError } = await import('../../src-preload/contract')
    let answer: 'unavailable' | 'refused' = 'unavailable'
    installFakeBridge({
      ...worklistMethods(() => [appointment()]),
      updateSettings: async () => {
        throw new QubsIpcError({ code: answer, message: `settings ${answer}` })
      },
    })
    const user = (await import('@testing-library/user-event')).default.setup()
    render(<AppShell db={freshDb()} />)
    await screen.findByRole('grid', { name: 'Worklist' })
    await user.click(screen.getByRole('button', { name: 'Light theme' }))
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('light'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(document.documentElement.dataset['theme']).toBe('light')
    expect(screen.queryByText(/Not saved/)).toBeNull()
    answer = 'refused'
    await user.click(screen.getByRole('button', { name: 'Dark theme' }))
    expect((await screen.findByText(/Not saved: settings refused/)).getAttribute('role')).toBe('alert')
    expect(document.documentElement.dataset['theme']).toBe('light')
  })
})
