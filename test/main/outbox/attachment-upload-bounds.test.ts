import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import {
  EntrySender,
  MAX_UPLOAD_KEYS,
  RetryPolicy,
  UPLOAD_KEY_REUSE_MS,
  type Outbox,
} from '../../../src-main/core/outbox'
import { harness, qubsError, ScriptedPort, type Harness } from './support'

/**
 * A trial saw 499 upload-URL requests under 109 keys in 24 h, and the entry was never held: only URLs
 * that arrived were counted. Every key under which QUBS may have seen a request is one more attachment
 * record it may have created, so those keys are counted — durably, across restarts — and the entry is
 * held for a person at the cap, its bytes kept. A key QUBS cannot have seen (nothing left the machine)
 * creates nothing, so it is reused instead of renewed: days offline never reach the cap.
 */
const bytes = Buffer.from('%PDF-1.7 bounded upload\n%%EOF\n')
const DAY_MS = 24 * 60 * 60_000

describe('upload-URL renewals are bounded', () => {
  let h: Harness
  let outbox: Outbox
  let port: ScriptedPort
  let sender: EntrySender

  const open = async () => {
    outbox = await h.open()
    sender = new EntrySender({
      ledger: outbox.delivery,
      port,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(3), baseMs: 1_000 }),
      logger: silentLogger,
    })
  }
  /** Sends the head whenever it is due, for `ms` of clock time; returns the results. */
  const keepSending = async (entryId: string, ms: number): Promise<string[]> => {
    const until = h.clock.now() + ms
    const results: string[] = []
    while (h.clock.now() < until && outbox.get(entryId)?.state === 'queued') {
      const next = outbox.delivery.nextDueAt()
      if (next !== null && next > h.clock.now()) h.clock.advance(next - h.clock.now())
      const [ticket] = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready
      if (!ticket) break
      results.push((await sender.send(ticket, new AbortController().signal)).result)
    }
    return results
  }
  const keysUsed = () => new Set(port.callsOf('createReportAttachmentUrls').map((c) => c.idempotencyKey))
  const attach = () =>
    outbox.enqueueReportAttachment('acme', 'A1', { fileName: 'r.pdf', contentType: 'application/pdf', bytes })

  beforeEach(async () => {
    h = harness(51)
    port = new ScriptedPort(h.clock)
    await open()
  })
  afterEach(() => {
    if (!outbox.closed) outbox.close()
    h.cleanup()
  })

  it(`a URL request QUBS keeps failing (5xx) is held after ${MAX_UPLOAD_KEYS} keys, counted across restarts`, async () => {
    const entry = await attach()
    const failing = Array.from({ length: 2_000 }, () => ({ error: qubsError({ kind: 'http', status: 503 }) }))
    port.script('createReportAttachmentUrls', ...failing)
    await keepSending(entry.id, (MAX_UPLOAD_KEYS / 2) * UPLOAD_KEY_REUSE_MS)
    expect(outbox.get(entry.id)?.state).toBe('queued')
    const before = keysUsed().size
    expect(before).toBeGreaterThan(1)
    expect(before).toBeLessThan(MAX_UPLOAD_KEYS)
    // A restart forgets everything in memory; the count lives in the outbox.
    outbox.close()
    await open()
    const results = await keepSending(entry.id, DAY_MS)
    expect(results.at(-1)).toBe('held')
    expect(keysUsed().size).toBe(MAX_UPLOAD_KEYS)
    expect(outbox.get(entry.id)).toMatchObject({
      state: 'held',
      heldReason: 'upload-rejected',
      lastError: { code: 'upload-keys-exhausted' },
    })
    expect(outbox.get(entry.id)?.heldDetail).toContain(`${MAX_UPLOAD_KEYS} idempotency keys`)
    // Its bytes are kept: it can be exported, or retried by the person (the count starts again).
    const exported = join(h.dir, 'held.json')
    await outbox.exportEntry(entry.id, exported)
    expect(existsSync(exported)).toBe(true)
    expect((await outbox.retryHeld(entry.id)).state).toBe('queued')
  })

  it('half a day offline (nothing leaves the machine) reuses one key and is never held', async () => {
    const entry = await attach()
    const offline = Array.from({ length: 2_000 }, () => ({
      error: qubsError({ kind: 'network', notSent: true }),
    }))
    port.script('createReportAttachmentUrls', ...offline)
    const results = await keepSending(entry.id, DAY_MS / 2)
    expect(results.length).toBeGreaterThan(100)
    expect(outbox.get(entry.id)?.state).toBe('queued')
    expect(keysUsed()).toEqual(new Set([`${entry.idempotencyKey}.u1`]))
  })
})
