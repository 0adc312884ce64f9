import { render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
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
    expect((await screen.findByTestId('app-mode')).textContent).toBe('Demo sandbox')
    expect(screen.getByText('v0.1.0')).toBeTruthy()
  })

  it('says clearly when the page was not opened by the app', async () => {
    render(<AppShell />)
    expect((await screen.findByRole('alert')).textContent).toMatch(/bridge is not available/)
  })
})
