import { render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { StatusIndicator } from '../../src-renderer/src/features/shell/StatusIndicator'
import { useAppInfoStore } from '../../src-renderer/src/stores/app-info-store'
import { installFakeBridge } from './fake-bridge'

describe('AppShell', () => {
  beforeEach(() => useAppInfoStore.setState({ info: null, error: null }))

  it('shows the demo badge and version from main', async () => {
    installFakeBridge({
      getAppInfo: async () => ({
        name: 'QUBS Reporter',
        version: '0.1.0',
        mode: 'demo',
        runtime: { node: '24.21.0' },
      }),
    })
    render(<AppShell />)
    expect((await screen.findByTestId('app-mode')).textContent).toBe('DEMO')
    expect(screen.getByTestId('demo-banner').textContent).toMatch(/fake patients/)
    expect(screen.getByText('v0.1.0')).toBeTruthy()
  })

  it('says clearly when the page was not opened by the app', async () => {
    render(<AppShell />)
    expect((await screen.findByRole('alert')).textContent).toMatch(/bridge is not available/)
  })

  it('names a configured workstation "QUBS" (not a green "connected" beside a red Offline), the detail in a tooltip', async () => {
    installFakeBridge({
      getAppInfo: async () => ({
        name: 'QUBS Reporter',
        version: '0.1.0',
        mode: 'configured',
        runtime: { node: '24.21.0' },
      }),
    })
    render(<AppShell />)
    const chip = await screen.findByTestId('app-mode')
    expect(chip.textContent).toBe('QUBS')
    expect(chip.getAttribute('title')).toMatch(/configured QUBS/)
  })
})

describe('status indicator detail', () => {
  it('keeps the reason off the header line: in a tooltip and for screen readers only', () => {
    render(
      <StatusIndicator
        connectivity={{
          state: 'offline',
          lastSuccessAt: null,
          lastAttemptAt: null,
          detail: 'QUBS could not be reached.',
        }}
        lastRefreshAt={null}
        syncing={false}
      />,
    )
    const status = screen.getByRole('status', { name: 'Connection' })
    expect(status.getAttribute('title')).toMatch(/QUBS could not be reached/)
    const detail = screen.getByText(/QUBS could not be reached/)
    expect(detail.className).toContain('visually-hidden')
  })
})
