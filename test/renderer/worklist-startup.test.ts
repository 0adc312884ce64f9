import { describe, expect, it } from 'vitest'
import { openCacheSession, type CacheSession } from '../../src-renderer/src/db/cache-session'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { saveWorklistSnapshot } from '../../src-renderer/src/db/worklist-cache'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { installFakeBridge } from './fake-bridge'
import { appointment, fixedKey, outboxEntry, worklistMethods } from './fixtures'
import { resetStores, useFreshStores } from './stores'

describe('worklist start-up', () => {
  useFreshStores()

  it('a refresh that starts while the cached list loads still keeps held rows and is not overwritten', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
    const held = appointment({ appointmentId: 'H1', lastName: 'Held' })
    await saveWorklistSnapshot(session, [
      { view: held, pending: true, refreshId: 'old' },
      { view: appointment({ appointmentId: 'F1', lastName: 'Stale' }), pending: true, refreshId: 'old' },
    ])
    installFakeBridge(worklistMethods(() => [appointment({ appointmentId: 'F1', lastName: 'Fresh' })]))
    const outbox = [outboxEntry({ kind: 'report', appointmentId: 'H1', state: 'held' })]
    // The cached snapshot decrypts slowly (a large list on a slow disk) until the refresh has landed.
    let refreshLanded!: () => void
    const landed = new Promise<void>((resolve) => (refreshLanded = resolve))
    const slow: CacheSession = {
      ...session,
      cipher: {
        ...session.cipher,
        openJson: async (aad, sealed) => {
          await landed
          return session.cipher.openJson(aad, sealed)
        },
      },
    }
    const store = useWorklistStore.getState()
    // QUBS comes online (a refresh) while the cached snapshot is still being read and decrypted.
    const loading = store.loadCached(slow)
    const refreshing = store.refresh(session, outbox)
    await new Promise((resolve) => setTimeout(resolve, 50))
    refreshLanded()
    await Promise.all([loading, refreshing])
    const byId = new Map(useWorklistStore.getState().entries.map((e) => [e.view.appointmentId, e]))
    expect(byId.get('F1')?.view.lastName).toBe('Fresh')
    expect(byId.get('H1')?.pending).toBe(false)
    expect(byId.size).toBe(2)
  })
})

describe('worklist refresh of an earlier session', () => {
  useFreshStores()

  it('is dropped when it lands after the page’s state was reset and a new session refreshed', async () => {
    const open = async () =>
      openCacheSession(new ReporterDatabase(`test-${crypto.randomUUID()}`), {
        keyId: 'k1',
        rawKey: new Uint8Array(fixedKey),
      })
    const [before, after] = [await open(), await open()]
    let answer!: () => void
    const gate = new Promise<void>((resolve) => (answer = resolve))
    installFakeBridge(
      worklistMethods(() => [appointment({ appointmentId: 'A5', studyDescription: 'CT Head' })], { gate }),
    )
    const late = useWorklistStore.getState().refresh(before, [])
    await new Promise((resolve) => setTimeout(resolve, 20))
    resetStores()
    installFakeBridge(
      worklistMethods(() => [appointment({ appointmentId: 'A5', studyDescription: 'XR Left Knee' })]),
    )
    await useWorklistStore.getState().refresh(after, [])
    answer()
    await late
    const shown = useWorklistStore.getState()
    expect(shown.entries.map((e) => e.view.studyDescription)).toEqual(['XR Left Knee'])
    expect(shown.refreshing).toBe(false)
  })
})
