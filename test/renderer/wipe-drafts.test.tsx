import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { openCacheSession } from '../../src-renderer/src/db/cache-session'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { saveDraft } from '../../src-renderer/src/db/drafts'
import { WipeDialog } from '../../src-renderer/src/features/privacy/WipeDialog'
import { installFakeBridge } from './fake-bridge'

/** Unsent drafts live only in the offline copy the wipe clears: never wiped without the person saying so. */
async function sessionWithDrafts(drafts: readonly { id: string; deliveredAt: number | null }[]) {
  const db = new ReporterDatabase(`wipe-drafts-${crypto.randomUUID()}`)
  const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(32).fill(7) })
  for (const draft of drafts) {
    await saveDraft(
      session,
      'demo',
      draft.id,
      {
        text: 'Unsent words',
        selectionStart: 0,
        selectionEnd: 0,
        scrollTop: 0,
        templateId: null,
        submissions: [],
      },
      { now: 1, deliveredAt: draft.deliveredAt },
    )
  }
  return session
}

describe('wipe local data with report drafts not yet submitted', () => {
  it('names how many and wipes only once the person ticked that they go too', async () => {
    const wipeLocalData = vi.fn(async () => ({ wiped: [] }))
    installFakeBridge({ wipeLocalData })
    const session = await sessionWithDrafts([
      { id: 'A1', deliveredAt: null },
      { id: 'A2', deliveredAt: null },
      { id: 'A3', deliveredAt: 5 },
    ])
    const onWiped = vi.fn()
    render(<WipeDialog session={session} onClose={() => undefined} onWiped={onWiped} />)
    const drafts = await screen.findByRole('checkbox', { name: /2 report drafts not submitted/ })
    const wipe = screen.getByRole('button', { name: 'Wipe local data' })
    expect(wipe).toHaveProperty('disabled', true)
    fireEvent.click(wipe)
    expect(wipeLocalData).not.toHaveBeenCalled()
    fireEvent.click(drafts)
    expect(wipe).toHaveProperty('disabled', false)
    fireEvent.click(wipe)
    await waitFor(() => expect(onWiped).toHaveBeenCalledTimes(1))
  })

  it('asks nothing more when every draft was delivered', async () => {
    installFakeBridge({ wipeLocalData: async () => ({ wiped: [] }) })
    const session = await sessionWithDrafts([{ id: 'A3', deliveredAt: 5 }])
    render(<WipeDialog session={session} onClose={() => undefined} onWiped={() => undefined} />)
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Wipe local data' })).toHaveProperty('disabled', false),
    )
    expect(screen.queryByRole('checkbox', { name: /report draft/ })).toBeNull()
  })
})
