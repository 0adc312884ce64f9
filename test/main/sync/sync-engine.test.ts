import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { DAY_MS, retentionForDays, type Outbox, type OutboxEntrySummary } from '../../../src-main/core/outbox'
import { SyncEngine, type SyncProgress } from '../../../src-main/core/sync'
import type { ConnectivityState } from '../../../src-main/core/sync'
import { gate, harness, PHI, qubsError, ScriptedPort, settle, type Harness } from '../outbox/support'

describe('sync engine', () => {
  let h: Harness
  let outbox: Outbox
  let port: ScriptedPort
  let engine: SyncEngine

  const makeEngine = (concurrency = 3) =>
    new SyncEngine({
      outbox,
      delivery: port,
      clock: h.clock,
      random: seededRandom(5),
      concurrency,
      retry: { baseMs: 1_000, maxMs: 10_000 },
    })

  beforeEach(async () => {
    h = harness()
    outbox = await h.open()
    port = new ScriptedPort(h.clock)
    engine = makeEngine()
  })
  afterEach(async () => {
    await engine.stop()
    if (!outbox.closed) outbox.close()
    h.cleanup()
  })

  const report = (appointmentId: string, reportStatus: 'preliminary' | 'final', text = PHI.reportText) =>
    outbox.enqueueReport('acme', appointmentId, { reportText: text, reportStatus })

  it('delivers reports strictly in order per appointment (preliminary before final); an attachment has its own lane', async () => {
    const a1 = await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: 'r.pdf',
      contentType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.4'),
    })
    const a2 = await report('A1', 'preliminary')
    const a3 = await report('A1', 'final')
    const b1 = await outbox.enqueueComment('acme', 'B1', { commentText: PHI.commentText })
    const b2 = await report('B1', 'final')
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    const keysFor = (appointmentId: string) =>
      port.calls
        .filter(
          (c) =>
            c.appointmentId === appointmentId ||
            (appointmentId === 'A1' && c.method === 'uploadReportAttachment'),
        )
        .map((c) => c.method)
    const a1Calls = keysFor('A1')
    expect(a1Calls.filter((method) => method !== 'submitReport')).toEqual([
      'createReportAttachmentUrls',
      'uploadReportAttachment',
    ])
    expect(a1Calls.filter((method) => method === 'submitReport')).toHaveLength(2)
    expect(
      port
        .callsOf('submitReport')
        .filter((c) => c.appointmentId === 'A1')
        .map((c) => c.idempotencyKey),
    ).toEqual([a2.idempotencyKey, a3.idempotencyKey])
    expect(port.calls.filter((c) => c.appointmentId === 'B1').map((c) => c.idempotencyKey)).toEqual([
      b1.idempotencyKey,
      b2.idempotencyKey,
    ])
    expect(outbox.list().every((e) => e.state === 'delivered')).toBe(true)
    expect(outbox.get(a1.id)?.state).toBe('delivered')
  })

  it('runs different appointments in parallel, never more than the bound, one entry per appointment at a time', async () => {
    const release = gate()
    for (let i = 0; i < 6; i += 1) {
      await report(`P${i}`, 'preliminary')
      await report(`P${i}`, 'final')
    }
    port.script('submitReport', ...Array.from({ length: 12 }, () => ({ gate: release.promise })))
    engine.start()
    await settle()
    expect(port.inFlight).toBe(3)
    expect(new Set(port.calls.map((c) => c.appointmentId)).size).toBe(3)
    release.open()
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    expect(port.maxInFlight).toBe(3)
    for (let i = 0; i < 6; i += 1) {
      expect(
        port.calls
          .filter((c) => c.appointmentId === `P${i}`)
          .map((c) => (c.input as { reportStatus: string }).reportStatus),
      ).toEqual(['preliminary', 'final'])
    }
  })

  it('a held entry blocks later entries of its appointment only; other appointments keep going', async () => {
    const prelim = await report('A1', 'preliminary')
    const final = await report('A1', 'final', PHI.finalText)
    const other = await report('B1', 'final')
    port.script('submitReport', { error: qubsError({ kind: 'http', status: 409, requestId: 'rq' }) })
    const progress: SyncProgress[] = []
    engine.on('progress', (p) => progress.push(p))
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 1 })
    expect(outbox.get(prelim.id)).toMatchObject({ state: 'held', heldReason: 'conflict' })
    expect(outbox.get(final.id)).toMatchObject({ state: 'queued', blockedByHeld: true })
    expect(outbox.get(other.id)?.state).toBe('delivered')
    expect(port.calls.filter((c) => c.idempotencyKey === final.idempotencyKey)).toEqual([])
    expect(progress.at(-1)).toMatchObject({ held: 1, blocked: 1, delivered: 1, inFlight: 0 })
    // The person retries the preliminary (new key): it goes first, then the final.
    await outbox.retryHeld(prelim.id)
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    expect(
      port
        .callsOf('submitReport')
        .filter((c) => c.appointmentId === 'A1')
        .map((c) => (c.input as { reportStatus: string }).reportStatus),
    ).toEqual(['preliminary', 'preliminary', 'final'])
  })

  it('never runs two drains: repeated wakes while a request hangs send each entry once', async () => {
    const release = gate()
    await report('A1', 'final')
    port.script('submitReport', { gate: release.promise })
    engine.start()
    for (let i = 0; i < 20; i += 1) {
      engine.wake('manual')
      engine.wake('network')
      engine.wake('enqueue')
    }
    await settle()
    expect(port.calls).toHaveLength(1)
    release.open()
    await engine.drainUntilIdle({ timeoutMs: 60_000 })
    expect(port.calls).toHaveLength(1)
  })

  it('wakes on enqueue while running', async () => {
    engine.start()
    await settle()
    const entry = await report('A1', 'final')
    await settle()
    expect(outbox.get(entry.id)?.state).toBe('delivered')
  })

  it('retries on its backoff timer, finds connectivity by trying, and reports it', async () => {
    const entry = await report('A1', 'final')
    port.script('submitReport', { error: qubsError({ kind: 'network' }) })
    const seen: ConnectivityState[] = []
    engine.on('connectivity', (c) => seen.push(c))
    engine.start()
    await settle()
    expect(outbox.get(entry.id)?.state).toBe('queued')
    expect(engine.connectivity.state).toBe('offline')
    h.clock.advance(outbox.get(entry.id)!.nextAttemptAt! - h.clock.now())
    await settle()
    expect(outbox.get(entry.id)?.state).toBe('delivered')
    expect(seen.map((c) => c.state)).toEqual(['offline', 'online'])
    expect(port.calls.map((c) => c.idempotencyKey)).toEqual([entry.idempotencyKey, entry.idempotencyKey])
  })

  it('a network-back wake retries at once instead of waiting out the backoff', async () => {
    const entry = await report('A1', 'final')
    port.script('submitReport', { error: qubsError({ kind: 'timeout' }) })
    engine.start()
    await settle()
    expect(outbox.get(entry.id)?.state).toBe('queued')
    engine.wake('network')
    await settle()
    expect(outbox.get(entry.id)?.state).toBe('delivered')
  })

  it('emits entry events for every state change', async () => {
    const events: Pick<OutboxEntrySummary, 'state'>[] = []
    engine.on('entry', (e) => events.push({ state: e.state }))
    engine.start()
    await report('A1', 'final')
    await engine.drainUntilIdle({ timeoutMs: 60_000 })
    expect(events.map((e) => e.state)).toEqual(['queued', 'sending', 'delivered'])
  })

  it('stop leaves an in-flight entry `sending`; the next start resumes it with the same key', async () => {
    const entry = await report('A1', 'final')
    port.script('submitReport', { hang: true })
    engine.start()
    await settle()
    await engine.stop()
    expect(outbox.get(entry.id)?.state).toBe('sending')
    expect(port.inFlight).toBe(0)
    outbox.close()
    outbox = await h.open()
    engine = makeEngine()
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    expect(port.calls.map((c) => c.idempotencyKey)).toEqual([entry.idempotencyKey, entry.idempotencyKey])
  })

  it('stop bounds its wait for a delivery that ignores the abort, and parks the entry for the next start', async () => {
    const entry = await report('A1', 'final')
    let release = (): void => undefined
    // A delivery stuck where no signal reaches it (the worst case stop must survive).
    class DeafPort extends ScriptedPort {
      override submitReport(...args: Parameters<ScriptedPort['submitReport']>) {
        if (this.calls.length > 0) return super.submitReport(...args)
        this.calls.push({
          method: 'submitReport',
          domain: args[0],
          appointmentId: args[1],
          idempotencyKey: args[3].idempotencyKey,
          input: args[2],
        })
        return new Promise<unknown>((resolve) => {
          release = () => resolve(undefined)
        })
      }
    }
    port = new DeafPort(h.clock)
    engine = new SyncEngine({ outbox, delivery: port, clock: h.clock, stopTimeoutMs: 200 })
    engine.start()
    await settle()
    const startedAt = Date.now()
    await engine.stop()
    expect(Date.now() - startedAt).toBeLessThan(2_000)
    expect(engine.running).toBe(false)
    expect(outbox.get(entry.id)?.state).toBe('sending')
    outbox.close()
    release()
    await settle()
    outbox = await h.open()
    engine = makeEngine()
    expect(await engine.drainUntilIdle({ timeoutMs: 60_000 })).toEqual({ idle: true, remaining: 0 })
    expect(port.calls.map((c) => c.idempotencyKey)).toEqual([entry.idempotencyKey, entry.idempotencyKey])
  })

  it('drainUntilIdle gives up after its timeout on the engine clock and says what remains', async () => {
    await report('A1', 'final')
    port.script('submitReport', { hang: true })
    const waiting = engine.drainUntilIdle({ timeoutMs: 5_000 })
    await settle()
    h.clock.advance(5_000)
    expect(await waiting).toEqual({ idle: false, remaining: 1 })
  })

  it('drainOnce gives each due entry one attempt and returns without waiting out the backoff', async () => {
    const failing = await report('A1', 'final')
    const fine = await report('A2', 'final')
    port.script('submitReport', { error: qubsError({ kind: 'network' }) })
    // No clock advance: a drainUntilIdle would wait for A1's backoff; drainOnce must not.
    expect(await engine.drainOnce({ timeoutMs: 60_000 })).toEqual({ idle: false, remaining: 1 })
    expect(outbox.get(failing.id)).toMatchObject({ state: 'queued', attempts: 1 })
    expect(outbox.get(fine.id)?.state).toBe('delivered')
    expect(port.calls).toHaveLength(2)
  })

  it('survives an outbox failure mid-drain: no spinning, recovery on a backing-off timer', async () => {
    const entry = await report('A1', 'final')
    const ledger = outbox.delivery
    const dueHeads = ledger.dueHeads.bind(ledger)
    const counts = ledger.counts.bind(ledger)
    let calls = 0
    let failing = true
    ledger.dueHeads = (options) => {
      calls += 1
      if (failing) throw new Error('disk I/O error')
      return dueHeads(options)
    }
    ledger.counts = () => {
      calls += 1
      if (failing) throw new Error('disk I/O error')
      return counts()
    }
    engine.start()
    await settle()
    // A few failed calls, then quiet until the recovery timer fires (no busy loop).
    expect(calls).toBeLessThan(10)
    expect(outbox.get(entry.id)?.state).toBe('queued')
    failing = false
    h.clock.advance(1_000)
    await settle()
    expect(outbox.get(entry.id)?.state).toBe('delivered')
  })

  it('puts back an entry left `sending` when recording its outcome failed, and delivers it', async () => {
    const entry = await report('A1', 'final')
    const ledger = outbox.delivery
    const markDelivered = ledger.markDelivered.bind(ledger)
    const markRetry = ledger.markRetry.bind(ledger)
    let failing = true
    ledger.markDelivered = (...args) => {
      if (failing) throw new Error('disk full')
      return markDelivered(...args)
    }
    ledger.markRetry = (...args) => {
      if (failing) throw new Error('disk full')
      return markRetry(...args)
    }
    engine.start()
    await settle()
    expect(outbox.get(entry.id)?.state).toBe('sending')
    failing = false
    h.clock.advance(1_000)
    await settle()
    expect(outbox.get(entry.id)?.state).toBe('delivered')
    // Resent under the same key: the first answer may have been applied.
    expect(new Set(port.calls.map((c) => c.idempotencyKey))).toEqual(new Set([entry.idempotencyKey]))
  })

  it('runs PHI housekeeping: delivered entries are purged after the retention', async () => {
    engine = new SyncEngine({
      outbox,
      delivery: port,
      clock: h.clock,
      random: seededRandom(5),
      retention: { phiRetentionMs: 60_000 },
      housekeepingIntervalMs: 30_000,
    })
    const entry = await report('A1', 'final')
    await engine.drainUntilIdle({ timeoutMs: 60_000 })
    expect(outbox.get(entry.id)?.purged).toBe(false)
    h.clock.advance(30_000)
    await settle()
    h.clock.advance(30_000)
    await settle()
    expect(outbox.get(entry.id)?.purged).toBe(true)
  })

  it('reads retention from its source at every pass: the person’s retentionDays applies without a restart', async () => {
    let days = 14
    engine = new SyncEngine({
      outbox,
      delivery: port,
      clock: h.clock,
      random: seededRandom(5),
      retention: () => retentionForDays(days),
      housekeepingIntervalMs: 60 * 60_000,
    })
    const entry = await report('A1', 'final')
    await engine.drainUntilIdle({ timeoutMs: 60_000 })
    h.clock.advance(3 * DAY_MS)
    await settle()
    expect(outbox.get(entry.id)?.purged).toBe(false)
    days = 2
    h.clock.advance(60 * 60_000)
    await settle()
    expect(outbox.get(entry.id)?.purged).toBe(true)
  })
})
