import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src-main/common/clock'
import { QubsError } from '../../../src-main/core/api'
import { ConnectivityMonitor } from '../../../src-main/core/app/connectivity-monitor'
import type { Connectivity } from '../../../src-preload/contract'

/** The status indicator's state from the sync engine's observations and the core's own reads. */
function monitor() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1))
  const changes: Connectivity[] = []
  return { clock, changes, monitor: new ConnectivityMonitor(clock, (c) => changes.push(c)) }
}

describe('ConnectivityMonitor', () => {
  it('drops the offline explanation once the sync engine reaches QUBS again', () => {
    const { monitor: m, clock } = monitor()
    m.fromSync({ state: 'offline', lastSuccessAt: null, lastFailureAt: clock.now() })
    expect(m.current).toMatchObject({ state: 'offline', detail: 'QUBS could not be reached' })
    clock.advance(1_000)
    m.fromSync({ state: 'online', lastSuccessAt: clock.now(), lastFailureAt: clock.now() - 1_000 })
    expect(m.current.state).toBe('online')
    expect(m.current.detail).toBeUndefined()
  })

  it('keeps credentials-refused visible through a delivery answer, until a read succeeds', () => {
    const { monitor: m, clock, changes } = monitor()
    m.fromRead({ ok: false, error: new QubsError({ kind: 'auth' }) })
    m.fromSync({ state: 'online', lastSuccessAt: clock.now(), lastFailureAt: null })
    expect(m.current.state).toBe('credentials-refused')
    m.fromRead({ ok: true })
    expect(m.current).toEqual({
      state: 'online',
      lastSuccessAt: new Date(clock.now()).toISOString(),
      lastAttemptAt: new Date(clock.now()).toISOString(),
    })
    expect(changes.map((c) => c.state)).toEqual(['credentials-refused', 'online'])
  })

  it('counts any answer from QUBS as online, and ignores errors that say nothing about the link', () => {
    const { monitor: m } = monitor()
    m.fromRead({ ok: false, error: new QubsError({ kind: 'http', status: 404 }) })
    expect(m.current.state).toBe('online')
    m.fromRead({ ok: false, error: new Error('a bug') })
    m.fromRead({ ok: false, error: new QubsError({ kind: 'validation' }) })
    expect(m.current.state).toBe('online')
    m.fromRead({ ok: false, error: new QubsError({ kind: 'timeout' }) })
    expect(m.current.state).toBe('offline')
  })
})
