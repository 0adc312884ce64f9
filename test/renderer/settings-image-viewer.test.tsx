import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { QubsIpcError } from '../../src-preload/contract'
import { OpenImagesButton } from '../../src-renderer/src/features/appointment/OpenImagesButton'
import { useSettingsStore } from '../../src-renderer/src/stores/settings-store'
import { installFakeBridge } from './fake-bridge'
import { fakeSettings } from './fake-settings'
import { useFreshStores } from './stores'

describe('open the images in the PACS viewer', () => {
  useFreshStores()

  it('is disabled with the reason while no viewer link is set, and enabled once it is', async () => {
    const settings = fakeSettings()
    installFakeBridge({ ...settings.methods })
    await useSettingsStore.getState().load()
    render(<OpenImagesButton domain="demo" appointmentId="A1" />)
    const button = screen.getByRole('button', { name: 'Open images in viewer' }) as HTMLButtonElement
    expect(button.disabled).toBe(true)
    expect(screen.getByText(/No image viewer set/).id).toBe(button.getAttribute('aria-describedby'))
    await useSettingsStore
      .getState()
      .update({ pacs: { linkTemplate: 'https://pacs.example/viewer?study={studyInstanceUid}' } })
    await waitFor(() => expect(button.disabled).toBe(false))
  })

  it('asks main to open it for this appointment, and explains a link the appointment cannot fill', async () => {
    const settings = fakeSettings({
      user: { pacs: { linkTemplate: 'https://pacs.example/v?s={studyInstanceUid}' } },
    })
    const openImageViewer = vi
      .fn()
      .mockResolvedValueOnce({ url: 'https://pacs.example/v?s=1.2.3' })
      .mockRejectedValueOnce(new QubsIpcError({ code: 'not-found', message: 'studyInstanceUid missing' }))
    installFakeBridge({ ...settings.methods, openImageViewer })
    await useSettingsStore.getState().load()
    render(<OpenImagesButton domain="demo" appointmentId="A1" />)
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Open images in viewer' }))
    expect(openImageViewer).toHaveBeenCalledWith('demo', 'A1')
    expect(screen.queryByRole('alert')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Open images in viewer' }))
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /needs a value this appointment does not have/,
    )
  })
})
