import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { copyText, SupportPanel } from '../../src-renderer/src/features/support'
import { useAppInfoStore } from '../../src-renderer/src/stores/app-info-store'
import { installFakeBridge } from './fake-bridge'
import { useFreshStores } from './stores'

const SUPPORT_TEXT = 'QUBS Reporter 0.1.0\nmode: demo\noutbox: queued 1, held 0\nlast error: requestId req-1'

describe('support panel', () => {
  useFreshStores()

  async function show(copy: (text: string) => Promise<boolean>) {
    installFakeBridge({
      getAppInfo: async () => ({
        name: 'QUBS Reporter',
        version: '0.1.0',
        mode: 'demo',
        runtime: { node: '24.21.0', electron: '45.0.0' },
      }),
      getSupportInfo: async () => ({ text: SUPPORT_TEXT }),
      exportDiagnostics: async () => ({ path: '/srv/qubs-reporter/exports/diag-1.json' }),
    })
    await useAppInfoStore.getState().load()
    render(<SupportPanel copy={copy} />)
    return userEvent.setup()
  }

  it('shows the versions, copies main’s support text and shows where diagnostics were saved', async () => {
    const copy = vi.fn(async () => true)
    const user = await show(copy)
    expect(screen.getByText('45.0.0')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Copy support information' }))
    await screen.findByText(/Support information copied/)
    expect(copy).toHaveBeenCalledWith(SUPPORT_TEXT)
    await user.click(screen.getByRole('button', { name: 'Export diagnostics' }))
    await screen.findByText('Diagnostics saved to /srv/qubs-reporter/exports/diag-1.json')
  })

  it('when the clipboard refuses, shows the text selected for Ctrl+C', async () => {
    const user = await show(async () => false)
    await user.click(screen.getByRole('button', { name: 'Copy support information' }))
    const text = (await screen.findByRole('textbox', { name: 'Support information' })) as HTMLTextAreaElement
    expect(text.value).toBe(SUPPORT_TEXT)
    expect(screen.getByText(/clipboard refused/)).toBeTruthy()
  })

  it('copyText falls back to a selection copy when navigator.clipboard is refused (as Electron does)', async () => {
    const writeText = vi.fn(async () => {
      throw new DOMException('Write permission denied.', 'NotAllowedError')
    })
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    let copied: string | null = null
    const execCommand = vi.fn((command: string) => {
      copied = command === 'copy' ? (document.activeElement as HTMLTextAreaElement).value : null
      return true
    })
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true })
    try {
      expect(await copyText('versions only')).toBe(true)
      expect(writeText).toHaveBeenCalled()
      expect(copied).toBe('versions only')
      // The off-screen field is gone again.
      await waitFor(() => expect(document.querySelectorAll('textarea')).toHaveLength(0))
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard')
      Reflect.deleteProperty(document, 'execCommand')
    }
  })
})
