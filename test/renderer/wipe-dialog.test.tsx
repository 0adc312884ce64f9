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
  fireEvent.click(await screen.findByRole('button', { name: 'Wipe local data…' }))
  const dialog = screen.getByRole('dialog', { name: 'Wipe local data' })
  return { calls, onWiped, dialog }
}

describe('wipe local data, from the header', () => {
  it('asks for confirmation; the outbox only when ticked; after the wipe the app starts over', async () => {
    const { calls, onWiped } = await openWipeDialog(async () => ({ wiped: [] }))
    expect(document.activeElement?.textContent).toBe('Cancel')
    fireEvent.click(screen.getByRole('checkbox'))
    fireEvent.click(screen.getByRole('button', { name: 'Wipe local data' }))
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
    fireEvent.click(screen.getByRole('checkbox'))
    fireEvent.click(screen.getByRole('button', { name: 'Wipe local data' }))
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/2 submissions are still waiting/)
    expect(onWiped).not.toHaveBeenCalled()
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
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
