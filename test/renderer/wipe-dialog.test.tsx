import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { ContractError, type WipeRequest } from '../../src-preload/contract'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { installFakeBridge } from './fake-bridge'

const appInfo = async () => ({
  name: 'QUBS Reporter',
  version: '0.1.0',
  mode: 'demo' as const,
  runtime: { node: '24.21.0' },
})

async function openWipeDialog(wipeLocalData: (request: WipeRequest) => Promise<{ wiped: never[] } | never>) {
  const calls: WipeRequest[] = []
  installFakeBridge({
    getAppInfo: appInfo,
    wipeLocalData: async (request) => {
      calls.push(request)
      return wipeLocalData(request)
    },
  })
  const onWiped = vi.fn()
  render(<AppShell db={new ReporterDatabase(`wipe-${crypto.randomUUID()}`)} onWiped={onWiped} />)
  // Not in the crowded header: with the other privacy settings, where a radiologist looks for it.
  const header = screen.getByRole('banner')
  fireEvent.click(await within(header).findByRole('button', { name: 'Settings' }))
  expect(within(header).queryByRole('button', { name: /Wipe/ })).toBeNull()
  const privacy = await screen.findByRole('region', { name: 'Privacy' })
  fireEvent.click(within(privacy).getByRole('button', { name: 'Wipe local data…' }))
  // Its code loads on first use (a chunk of its own).
  const dialog = await screen.findByRole('dialog', { name: 'Wipe local data' })
  return { calls, onWiped, dialog }
}

describe('wipe local data, from the settings’ privacy section', () => {
  it('asks for confirmation; the outbox only when ticked; after the wipe the app starts over', async () => {
    const { calls, onWiped, dialog } = await openWipeDialog(async () => ({ wiped: [] }))
    expect(document.activeElement?.textContent).toBe('Cancel')
    fireEvent.click(within(dialog).getByRole('checkbox'))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Wipe local data' }))
    await waitFor(() => expect(onWiped).toHaveBeenCalledTimes(1))
    expect(calls).toEqual([{ includeOutbox: true }])
  })

  it('says how many submissions are waiting when main refuses, and wipes nothing', async () => {
    const { onWiped, dialog } = await openWipeDialog(async () => {
      throw new ContractError(
        'refused',
        '2 submissions are still waiting to be delivered or exported; nothing was wiped',
      )
    })
    fireEvent.click(within(dialog).getByRole('checkbox'))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Wipe local data' }))
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/2 submissions are still waiting/)
    expect(onWiped).not.toHaveBeenCalled()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog', { name: 'Wipe local data' })).toBeNull()
  })

  it('has a Lock button in the header that locks the screen', async () => {
    installFakeBridge({ getAppInfo: appInfo })
    render(<AppShell db={new ReporterDatabase(`lock-${crypto.randomUUID()}`)} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Lock' }))
    expect(screen.getByRole('dialog', { name: 'Locked' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'I am back' }))
  })
})
