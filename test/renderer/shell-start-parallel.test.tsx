import { render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { openCacheSession } from '../../src-renderer/src/db/cache-session'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { saveWorklistSnapshot } from '../../src-renderer/src/db/worklist-cache'
import { lazyPdfEngine } from '../../src-renderer/src/features/attachments/pdf-engine'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { installFakeBridge } from './fake-bridge'
import { appointment, fixedKey, worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

/**
 * Issue #14 (cold start): the cached snapshot's clear index needs no key, so its read from IndexedDB
 * starts with the shell's first requests to main (cache key, settings, setup), not after them.
 */
describe('shell start: the snapshot read runs beside the start requests', () => {
  useFreshStores()

  async function cachedDatabase() {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
    await saveWorklistSnapshot(session, [
      { view: appointment({ appointmentId: 'A1', lastName: 'Cached' }), pending: true, refreshId: 'old' },
    ])
    return db
  }

  it('requests the snapshot rows before main has answered for the cache key or the settings', async () => {
    const db = await cachedDatabase()
    let answer!: () => void
    const main = new Promise<void>((resolve) => (answer = resolve))
    const methods = worklistMethods(() => [])
    installFakeBridge({
      ...methods,
      getCacheKey: async () => {
        await main
        return methods.getCacheKey!()
      },
      getSettings: async () => {
        await main
        throw Object.assign(new Error('no settings here'), { code: 'unavailable' })
      },
      // Offline: the start-up refresh never answers, so what shows is the cached list.
      refreshWorklist: () => new Promise(() => undefined),
    })
    const rowsRead = vi.spyOn(db.worklist, 'toArray')
    render(<AppShell db={db} />)
    await vi.waitFor(() => expect(rowsRead).toHaveBeenCalledTimes(1), { timeout: 5000 })
    answer()
    // The early read is the one the list is shown from: no second read of every row.
    expect(await screen.findByText(/CACHED, Alice/, undefined, { timeout: 5000 })).toBeTruthy()
    expect(rowsRead).toHaveBeenCalledTimes(1)
  })

  it('opens the cache under an unchanged key without a read-write transaction (that would wait for the read)', async () => {
    const db = await cachedDatabase()
    const transaction = vi.spyOn(db, 'transaction')
    await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
    const modes = transaction.mock.calls.map((call) => call[0])
    expect(modes).not.toContain('rw')
  })
})

describe('shell start: what the next screens need is warmed up after the first screen', () => {
  useFreshStores()

  it('starts pdf.js once, after the cached list is shown, without an appointment being opened', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
    await saveWorklistSnapshot(session, [
      { view: appointment({ appointmentId: 'A1', lastName: 'Cached' }), pending: true, refreshId: 'old' },
    ])
    installFakeBridge({ ...worklistMethods(() => []), refreshWorklist: () => new Promise(() => undefined) })
    const rowsWhenPrepared: number[] = []
    const prepare = vi.spyOn(lazyPdfEngine, 'prepare').mockImplementation(() => {
      rowsWhenPrepared.push(document.querySelectorAll('[role="grid"] [role="row"]').length)
    })
    try {
      render(<AppShell db={db} />)
      await vi.waitFor(() => expect(prepare).toHaveBeenCalledTimes(1), { timeout: 5000 })
      // The header row and the cached appointment were on screen before pdf.js was started.
      expect(rowsWhenPrepared).toEqual([2])
    } finally {
      prepare.mockRestore()
    }
  })
})
