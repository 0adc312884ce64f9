import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import type { Outbox } from '../../../src-main/core/outbox'
import { SyncEngine } from '../../../src-main/core/sync'
import { gate, harness, PHI, ScriptedPort, settle, type Harness } from '../outbox/support'

/**
 * Issue 14 §3: the work a drain does per delivered entry, counted (never timed). The floor of the
 * benchmark is one POST per entry; what the engine adds must not grow with the queue and must not be
 * one fsync'd commit per state transition.
 */
describe('the drain’s work per delivered entry (issue 14)', () => {
  let h: Harness
  let outbox: Outbox
  let port: ScriptedPort
  let engine: SyncEngine

  beforeEach(async () => {
    h = harness()
    outbox = await h.open()
    port = new ScriptedPort(h.clock)
    engine = new SyncEngine({
      outbox,
      delivery: port,
      clock: h.clock,
      random: seededRandom(5),
      concurrency: 3,
    })
  })
  afterEach(async () => {
    vi.useRealTimers()
    vi.restoreAllMocks()
    await engine.stop()
    if (!outbox.closed) outbox.close()
    h.cleanup()
  })

  async function queueReports(count: number): Promise<void> {
    for (let n = 0; n < count; n += 1) {
      await outbox.enqueueReport('acme', `W${n}`, { reportText: PHI.reportText, reportStatus: 'preliminary' })
    }
  }

  /** Counts COMMITs made while the connection is at synchronous=FULL (each one an fsync of the WAL). */
  function countFullCommits(): { readonly full: () => number } {
    let full = 0
    const exec = DatabaseSync.prototype.exec
    vi.spyOn(DatabaseSync.prototype, 'exec').mockImplementation(function (this: DatabaseSync, sql: string) {
      if (/^\s*COMMIT\b/i.test(sql)) {
        // The connection's own setting at the moment of the COMMIT (2 = FULL, 3 = EXTRA).
        const level = Number(Object.values(this.prepare('PRAGMA synchronous').get() ?? {})[0])
        if (level >= 2) full += 1
      }
      return exec.call(this, sql)
    })
    return { full: () => full }
  }

  it('groups the delivered transitions of deliveries that complete together into one FULL commit', async () => {
    const entries = 30
    await queueReports(entries)
    const commits = countFullCommits()
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    expect(outbox.list().filter((e) => e.state === 'delivered')).toHaveLength(entries)
    // Each send's own `sending` mark (fsync'd before it leaves, see below), and three in flight that
    // answer together share one FULL commit for their delivered transitions. Before: two per entry.
    expect(commits.full()).toBeLessThanOrEqual(entries + Math.ceil(entries / 3) + 2)
  })

  it('fsyncs every send’s `sending` mark and attempt before the request leaves', async () => {
    // After a power cut they are the only record that the key may have been used: an entry found after
    // QUBS forgot its key (24 h) is then held `too-old` instead of sent again as a duplicate.
    await queueReports(6)
    const log: string[] = []
    const exec = DatabaseSync.prototype.exec
    vi.spyOn(DatabaseSync.prototype, 'exec').mockImplementation(function (this: DatabaseSync, sql: string) {
      if (/^\s*COMMIT\b/i.test(sql)) {
        const level = Number(Object.values(this.prepare('PRAGMA synchronous').get() ?? {})[0])
        log.push(level >= 2 ? 'full commit' : 'unsynced commit')
      }
      return exec.call(this, sql)
    })
    const submit = port.submitReport.bind(port)
    port.submitReport = (...args: Parameters<typeof submit>) => {
      log.push('send')
      return submit(...args)
    }
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    const sends = log.flatMap((step, i) => (step === 'send' ? [log[i - 1]] : []))
    expect(sends).toHaveLength(6)
    expect(sends.every((before) => before === 'full commit')).toBe(true)
    expect(log).not.toContain('unsynced commit')
  })

  it('prepares each statement of the drain once, not once per delivery', async () => {
    await queueReports(6)
    // Warm: the first deliveries prepare what the drain needs.
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    await engine.stop()
    await queueReports(30)
    const prepare = vi.spyOn(DatabaseSync.prototype, 'prepare')
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    expect(prepare.mock.calls.length).toBeLessThanOrEqual(5)
  })

  it('an answered delivery waiting for its group commit frees its request slot, not its lane', async () => {
    await queueReports(5)
    // The group's window (real time) must not run out while the test looks: only setTimeout is faked.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const hang = gate()
    // The first request hangs; the next two answer and wait for the group (one request is outstanding).
    port.script('submitReport', { gate: hang.promise })
    engine.start()
    await settle()
    // Their slots went to the fourth and fifth entries while the group waits (3 requests at most).
    expect(port.calls).toHaveLength(5)
    expect(port.maxInFlight).toBeLessThanOrEqual(3)
    const [first, second] = outbox.list()
    expect(first?.state).toBe('sending')
    expect(second?.state).toBe('sending') // answered, not reported delivered before its commit
    vi.useRealTimers()
    hang.open()
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    expect(port.calls).toHaveLength(5)
  })
})
