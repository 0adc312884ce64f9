import { render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { openCacheSession } from '../../src-renderer/src/db/cache-session'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { putCachedSites } from '../../src-renderer/src/db/sites-cache'
import { saveWorklistSnapshot } from '../../src-renderer/src/db/worklist-cache'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { installFakeBridge } from './fake-bridge'
import { appointment, fixedKey, worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

const SITES = [
  { domain: 'demo', siteName: 'Harbour Imaging', timeZone: 'Australia/Sydney' },
  { domain: 'demo', siteName: 'Coast Radiology', timeZone: 'Australia/Perth' },
  { domain: 'demo', siteName: 'Gulf X-Ray', timeZone: 'Australia/Darwin' },
]
const ROWS = 3000

/** Every `new Intl.DateTimeFormat(...)` (and call without new) from here on, counted. */
function countDateTimeFormats() {
  const Real = Intl.DateTimeFormat
  const counter = { made: 0, restore: () => (Intl.DateTimeFormat = Real) }
  const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Real>) {
    counter.made++
    return new Real(...args)
  } as unknown as typeof Intl.DateTimeFormat
  Object.assign(Counting, { supportedLocalesOf: Real.supportedLocalesOf.bind(Real) })
  Object.defineProperty(Counting, 'prototype', { value: Real.prototype })
  Intl.DateTimeFormat = Counting
  return counter
}

describe('worklist at scale', () => {
  useFreshStores()
  let counter: ReturnType<typeof countDateTimeFormats> | null = null
  afterEach(() => counter?.restore())

  it('builds date formatters per site zone, not per row, on the cached load and on the refresh', async () => {
    // Many rows, few zones, every row a different day and minute so no two rows share a wall time.
    const many = Array.from({ length: ROWS }, (_, n) =>
      appointment({
        appointmentId: `S${n}`,
        lastName: `P${n}`,
        scheduledSite: SITES[n % SITES.length]!.siteName,
        appointmentDate: `2026-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`,
        startTime: `${String(n % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00`,
      }),
    )
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
    await putCachedSites(session, SITES, Date.now())
    await saveWorklistSnapshot(
      session,
      many.map((view) => ({ view, pending: true, refreshId: 'old' })),
    )
    installFakeBridge({ ...worklistMethods(() => many), listSites: async () => SITES })
    counter = countDateTimeFormats()
    render(<AppShell db={db} />)
    await waitFor(() =>
      expect(screen.getByRole('grid', { name: 'Worklist' }).getAttribute('aria-rowcount')).toBe(
        String(ROWS + 1),
      ),
    )
    await waitFor(() => expect(useWorklistStore.getState().lastRefresh).not.toBeNull(), { timeout: 10_000 })
    expect(useWorklistStore.getState().entries).toHaveLength(ROWS)
    // A few formatter kinds per zone at most (wall-clock parts, zone name, deadline), whatever the rows.
    expect(counter.made).toBeGreaterThan(0)
    expect(counter.made).toBeLessThanOrEqual(SITES.length * 4 + 4)
  }, 30_000)
})
