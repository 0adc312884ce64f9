import { describe, expect, it } from 'vitest'
import type { ApiMethods, AppointmentView, DomainRefreshResult } from '../../src-preload/contract'
import { openCacheSession, type CacheSession } from '../../src-renderer/src/db/cache-session'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { saveWorklistSnapshot, WORKLIST_BATCH_SIZE } from '../../src-renderer/src/db/worklist-cache'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { installFakeBridge } from './fake-bridge'
import { appointment, fixedKey, worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

const BATCHES = 4

/** Routine rows everywhere except the last batch, which holds the STAT ones (written in that order). */
function snapshotViews(): AppointmentView[] {
  return Array.from({ length: BATCHES * WORKLIST_BATCH_SIZE }, (_, n) => {
    const stat = n >= (BATCHES - 1) * WORKLIST_BATCH_SIZE
    return appointment({
      appointmentId: `C${n}`,
      lastName: `Patient${n}`,
      priority: stat ? 'STAT' : 'Routine',
      reportNeededBy: new Date(Date.UTC(2026, 11, 2) + n * 60_000).toISOString(),
    })
  })
}

async function sessionWithSnapshot(views: readonly AppointmentView[]) {
  const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
  const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
  await saveWorklistSnapshot(
    session,
    views.map((view) => ({ view, pending: true, refreshId: 'old' })),
  )
  return session
}

/** A session whose cipher opens only the batches `allow` lets through, and counts seals and opens. */
function watched(session: CacheSession, allow: (aad: string) => boolean) {
  const counts = { opened: 0, sealed: 0 }
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const cipher = {
    ...session.cipher,
    openJson: async (aad: string, sealed: Parameters<CacheSession['cipher']['openJson']>[1]) => {
      if (!allow(aad)) await released
      const value = await session.cipher.openJson(aad, sealed)
      counts.opened++
      return value
    },
    sealJson: async (aad: string, value: unknown) => {
      counts.sealed++
      return session.cipher.sealJson(aad, value)
    },
  }
  return { session: { ...session, cipher } satisfies CacheSession, counts, release }
}

const unreachable = (domain: string): DomainRefreshResult => ({
  domain,
  ok: false,
  items: 0,
  pages: 0,
  error: { code: 'unavailable', message: 'offline' },
})

/** The fake bridge's worklist, with the per-domain outcome of every refresh given. */
function bridgeAnswering(
  items: readonly AppointmentView[],
  domains: readonly DomainRefreshResult[],
  more: Partial<ApiMethods> = {},
) {
  const methods = worklistMethods(() => items)
  installFakeBridge({
    ...methods,
    refreshWorklist: async () => ({ ...(await methods.refreshWorklist!()), domains: [...domains] }),
    ...more,
  })
}

describe('worklist cold start', () => {
  useFreshStores()

  it('the first rows show after decrypting only the first batch(es)', async () => {
    const base = await sessionWithSnapshot(snapshotViews())
    // Only the batch holding the STAT rows (the last one) opens until released.
    const { session, counts, release } = watched(base, (aad) => aad.endsWith(`/${BATCHES - 1}`))
    const loading = useWorklistStore.getState().loadCached(session)
    await expect
      .poll(() => useWorklistStore.getState().entries.length, { timeout: 5_000 })
      .toBe(WORKLIST_BATCH_SIZE)
    expect(counts.opened).toBe(1)
    expect(useWorklistStore.getState().entries.every((e) => e.view.priority === 'STAT')).toBe(true)
    expect(useWorklistStore.getState().openingCachedRows).toBe((BATCHES - 1) * WORKLIST_BATCH_SIZE)
    expect(useWorklistStore.getState().cacheLoaded).toBe(false)
    release()
    await loading
    expect(useWorklistStore.getState().entries).toHaveLength(BATCHES * WORKLIST_BATCH_SIZE)
    expect(useWorklistStore.getState().openingCachedRows).toBe(0)
    expect(counts.opened).toBe(BATCHES)
  })

  it('rows tied with the last first-screen row on priority and deadline are opened before showing', async () => {
    // Every row ties (same priority, same deadline): no batch can be left out, so none is shown early.
    const views = snapshotViews().map((v) => ({ ...v, priority: 'Routine', reportNeededBy: null }))
    const base = await sessionWithSnapshot(views)
    const { session, counts, release } = watched(base, (aad) => aad.endsWith(`/${BATCHES - 1}`))
    const loading = useWorklistStore.getState().loadCached(session)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(useWorklistStore.getState().entries).toHaveLength(0)
    release()
    await loading
    expect(useWorklistStore.getState().entries).toHaveLength(views.length)
    expect(counts.opened).toBe(BATCHES)
  })

  it('an offline refresh in which no domain answered seals nothing and keeps the list as it was', async () => {
    const views = snapshotViews().slice(0, 3)
    const base = await sessionWithSnapshot(views)
    const { session, counts } = watched(base, () => true)
    bridgeAnswering([], [unreachable('demo')], {
      listSites: async () => {
        throw Object.assign(new Error('offline'), { code: 'unavailable' })
      },
    })
    await useWorklistStore.getState().loadCached(session)
    const before = useWorklistStore.getState().entries
    expect(before).toHaveLength(3)
    await useWorklistStore.getState().refresh(session, [])
    const after = useWorklistStore.getState()
    expect(counts.sealed).toBe(0)
    expect(after.entries).toBe(before)
    expect(after.refreshError).toContain('demo')
    expect(after.lastFailedRefreshAt).not.toBeNull()
    expect(after.lastRefresh?.domains).toEqual([unreachable('demo')])
  })

  it('a refresh in which some domains answered still merges those and stores the snapshot', async () => {
    const base = await sessionWithSnapshot([
      appointment({ appointmentId: 'E1', domain: 'east' }),
      appointment({ appointmentId: 'D1' }),
    ])
    const { session, counts } = watched(base, () => true)
    bridgeAnswering(
      [appointment({ appointmentId: 'D2' })],
      [{ domain: 'demo', ok: true, items: 1, pages: 1 }, unreachable('east')],
    )
    await useWorklistStore.getState().loadCached(session)
    await useWorklistStore.getState().refresh(session, [])
    const ids = useWorklistStore.getState().entries.map((e) => e.view.appointmentId)
    expect(ids.sort()).toEqual(['D2', 'E1'])
    expect(counts.sealed).toBeGreaterThan(0)
  })

  it('a refresh stores the snapshot most urgent first, so the next cold start opens one batch first', async () => {
    const base = await sessionWithSnapshot([])
    // QUBS lists the STAT appointments last.
    const listed = snapshotViews()
    installFakeBridge(worklistMethods(() => listed))
    await useWorklistStore.getState().loadCached(base)
    await useWorklistStore.getState().refresh(base, [])
    const firstBatch = (await base.db.worklist.toArray()).filter((row) => row.batch === 0)
    expect(firstBatch).toHaveLength(WORKLIST_BATCH_SIZE)
    expect(firstBatch.every((row) => row.priority === 'STAT')).toBe(true)
  })
})
