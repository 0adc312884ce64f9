import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { ApiMethods } from '../../src-preload/contract'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { installFakeBridge } from './fake-bridge'
import { appointment, worklistMethods } from './fixtures'
import { resetStores, useFreshStores } from './stores'

describe('app shell behaviour', () => {
  useFreshStores()

  it('refreshes the worklist when QUBS is reachable again', async () => {
    const methods = worklistMethods(() => [appointment()])
    let refreshes = 0
    const counted: Partial<ApiMethods> = {
      ...methods,
      getConnectivity: async () => ({ state: 'offline', lastSuccessAt: null, lastAttemptAt: null }),
      refreshWorklist: async () => {
        refreshes++
        return methods.refreshWorklist!()
      },
    }
    const fake = installFakeBridge(counted)
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Connection' }).textContent).toMatch(/^Offline/),
    )
    await waitFor(() => expect(refreshes).toBe(1))
    fake.emit('connectivityChanged', {
      state: 'online',
      lastSuccessAt: new Date().toISOString(),
      lastAttemptAt: null,
    })
    await waitFor(() => expect(refreshes).toBe(2))
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toMatch(/Online/)
  })

  it('starts dark, remembers the light theme and the zoom across a reload', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    installFakeBridge(worklistMethods(() => [appointment()]))
    const user = userEvent.setup()
    const { unmount } = render(<AppShell db={db} />)
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('dark'))
    await screen.findByRole('grid', { name: 'Worklist' })
    await user.keyboard('t')
    await user.keyboard('{Control>}={/Control}')
    expect(document.documentElement.dataset['theme']).toBe('light')
    expect(document.documentElement.style.getPropertyValue('--zoom')).toBe('1.1')
    unmount()
    resetStores()
    render(<AppShell db={db} />)
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('light'))
    expect(document.documentElement.style.getPropertyValue('--zoom')).toBe('1.1')
    await user.keyboard('{Control>}0{/Control}')
    expect(document.documentElement.style.getPropertyValue('--zoom')).toBe('1')
  })
})
