import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import {
  EntrySender,
  MAX_RETRY_DELAY_MS,
  MIN_RETRY_DELAY_MS,
  RESEND_SAFE_WINDOW_MS,
  RetryPolicy,
  type Outbox,
  type SendOutcome,
} from '../../../src-main/core/outbox'
import { harness, PHI, PHI_MARKERS, qubsError, ScriptedPort, type Harness } from './support'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

describe('outbox state machine', () => {
  let h: Harness
  let outbox: Outbox
  let port: ScriptedPort
  let sender: EntrySender
  const controller = new AbortController()

  beforeEach(async () => {
    h = harness()
    outbox = await h.open()
    port = new ScriptedPort(h.clock)
    sender = new EntrySender({
      ledger: outbox.delivery,
      port,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(3), baseMs: 1_000, maxMs: 60_000 }),
      logger: silentLogger,
    })
  })
  afterEach(() => {
    if (!outbox.closed) outbox.close()
    h.cleanup()
  })

  async function sendHead(): Promise<SendOutcome> {
    const [ticket] = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready
    if (!ticket) throw new Error('nothing due')
    return sender.send(ticket, controller.signal)
  }

  it('queued → sending → delivered, sending the frozen payload with the key minted at enqueue', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    const states: string[] = []
    outbox.onChange((change) => states.push(change.entry.state))
    expect(await sendHead()).toEqual({ result: 'delivered', connectivity: 'online' })
    expect(states).toEqual(['sending', 'delivered'])
    expect(port.calls).toEqual([
      {
        method: 'submitReport',
        domain: 'acme',
        appointmentId: 'A1',
        idempotencyKey: entry.idempotencyKey,
        input: {
          reportText: PHI.reportText,
          reportStatus: 'final',
          reportedAtUtc: '2026-01-05T08:00:00.000Z',
        },
      },
    ])
    expect(outbox.get(entry.id)).toMatchObject({
      state: 'delivered',
      attempts: 1,
      result: { reportGuid: `rg-${entry.idempotencyKey}` },
      deliveredAt: h.clock.now(),
    })
    expect(outbox.attempts(entry.id)).toMatchObject([
      { step: 'report', outcome: 'delivered', idempotencyKey: entry.idempotencyKey },
    ])
  })

  it("stores the status's own reason phrase, never QUBS's problem title (it may quote the text)", async () => {
    const entry = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    port.script('createComment', {
      error: qubsError({
        kind: 'http',
        status: 409,
        title: `Conflict for ${PHI.commentText}`,
        requestId: 'req-t',
      }),
    })
    expect((await sendHead()).result).toBe('held')
    const held = outbox.get(entry.id)
    expect(held?.lastError).toMatchObject({
      code: 'http-409',
      status: 409,
      title: 'Conflict',
      requestId: 'req-t',
    })
    // The file itself: the column is clear text (PHI-free by construction), so the title must not be in it.
    outbox.close()
    const { DatabaseSync } = await import('node:sqlite')
    const raw = new DatabaseSync(h.path, { readOnly: true })
    const columns = JSON.stringify(raw.prepare('SELECT last_error, held_detail FROM entries').all())
    raw.close()
    expect(columns).toContain('req-t')
    expect(columns).not.toContain(PHI.commentText)
  })

  it.each([
    [400, 'invalid'],
    [413, 'invalid'],
    [404, 'not-pending'],
    [409, 'conflict'],
    [403, 'forbidden'],
    [410, 'rejected'],
  ] as const)('holds on %i as %s, keeping the requestId and correlation id', async (status, reason) => {
    const entry = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    port.script('createComment', {
      error: qubsError({
        kind: 'http',
        status,
        title: 'Refused',
        detail: PHI.commentText,
        requestId: 'req-1',
        correlationId: 'cor-1',
      }),
    })
    expect((await sendHead()).result).toBe('held')
    const held = outbox.get(entry.id)
    expect(held).toMatchObject({
      state: 'held',
      heldReason: reason,
      lastError: { code: `http-${status}`, status, requestId: 'req-1', correlationId: 'cor-1' },
    })
    expect(held?.heldDetail).toContain('req-1')
    // The server's detail may quote the text: it never reaches the summary or the attempts table.
    const visible = JSON.stringify([held, outbox.attempts(entry.id)])
    for (const marker of PHI_MARKERS) expect(visible).not.toContain(marker)
    expect(outbox.attempts(entry.id)).toMatchObject([
      { outcome: 'held', status, requestId: 'req-1', correlationId: 'cor-1', mayHaveCommitted: false },
    ])
  })

  it.each([
    ['network', qubsError({ kind: 'network' }), 'transport'],
    ['timeout', qubsError({ kind: 'timeout' }), 'transport'],
    ['502', qubsError({ kind: 'http', status: 502, requestId: 'r5' }), 'server'],
    ['unparseable 2xx', qubsError({ kind: 'invalid-response', status: 201 }), 'server'],
    ['unexpected bug', new TypeError('boom'), 'other'],
  ])('retries after %s with the same key and a backoff', async (_name, error) => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error })
    expect((await sendHead()).result).toBe('retry')
    const after = outbox.get(entry.id)
    expect(after?.state).toBe('queued')
    expect(after?.nextAttemptAt).toBeGreaterThan(h.clock.now())
    expect(outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready).toEqual([])
    h.clock.advance(after!.nextAttemptAt! - h.clock.now())
    expect((await sendHead()).result).toBe('delivered')
    expect(port.callsOf('submitReport').map((c) => c.idempotencyKey)).toEqual([
      entry.idempotencyKey,
      entry.idempotencyKey,
    ])
    expect(outbox.attempts(entry.id).map((a) => [a.outcome, a.mayHaveCommitted])).toEqual([
      ['retry', true],
      ['delivered', true],
    ])
  })

  it('honours Retry-After exactly or later, and a 429 is recorded as not applied', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error: qubsError({ kind: 'http', status: 429, retryAfterMs: 120_000 }) })
    await sendHead()
    const wait = outbox.get(entry.id)!.nextAttemptAt! - h.clock.now()
    expect(wait).toBeGreaterThanOrEqual(120_000)
    expect(wait).toBeLessThanOrEqual(121_000)
    expect(outbox.attempts(entry.id)[0]).toMatchObject({
      outcome: 'retry',
      status: 429,
      mayHaveCommitted: false,
    })
    // A network-back wake does not cut a rate-limit wait short…
    expect(outbox.delivery.expediteTransportRetries()).toBe(0)
  })

  it('a network-back wake brings transport-failure retries forward', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error: qubsError({ kind: 'network' }) })
    await sendHead()
    expect(outbox.get(entry.id)!.nextAttemptAt!).toBeGreaterThan(h.clock.now())
    expect(outbox.delivery.expediteTransportRetries()).toBe(1)
    expect(outbox.get(entry.id)!.nextAttemptAt).toBe(h.clock.now())
  })

  describe('a wall clock that steps back (finding C)', () => {
    const failOnce = async () => {
      const entry = await outbox.enqueueReport('acme', 'A1', {
        reportText: PHI.reportText,
        reportStatus: 'final',
      })
      port.script('submitReport', { error: qubsError({ kind: 'network' }) })
      expect((await sendHead()).result).toBe('retry')
      const wait = outbox.get(entry.id)!.nextAttemptAt! - h.clock.now()
      expect(wait).toBeGreaterThan(0)
      return { entry, wait }
    }

    it.each([
      ['three days (NTP after a dead RTC battery)', 3 * 24 * 3_600_000],
      ['two hours (a dual boot keeping local time in the RTC)', 2 * 3_600_000],
    ])('back by %s: the retry waits its own backoff, not the step', async (_name, step) => {
      const { entry, wait } = await failOnce()
      h.clock.advance(-step)
      expect(outbox.delivery.nextDueAt()).toBe(h.clock.now() + wait)
      expect(outbox.get(entry.id)?.nextAttemptAt).toBe(h.clock.now() + wait)
      expect(outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready).toEqual([])
      h.clock.advance(wait)
      expect((await sendHead()).result).toBe('delivered')
      expect(port.callsOf('submitReport').map((c) => c.idempotencyKey)).toEqual([
        entry.idempotencyKey,
        entry.idempotencyKey,
      ])
    })

    it('read through dueHeads first (as the engine does), the step is healed the same way', async () => {
      const { entry, wait } = await failOnce()
      h.clock.advance(-10 * 24 * 3_600_000)
      expect(outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready).toEqual([])
      expect(outbox.get(entry.id)!.nextAttemptAt! - h.clock.now()).toBe(wait)
      expect(wait).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS)
      h.clock.advance(wait)
      expect(
        outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready.map((t) => t.id),
      ).toEqual([entry.id])
    })

    it('a clock that did not step leaves a long Retry-After alone', async () => {
      const entry = await outbox.enqueueReport('acme', 'A1', {
        reportText: PHI.reportText,
        reportStatus: 'final',
      })
      port.script('submitReport', {
        error: qubsError({ kind: 'http', status: 429, retryAfterMs: 6 * 3_600_000 }),
      })
      await sendHead()
      const at = outbox.get(entry.id)!.nextAttemptAt!
      h.clock.advance(3_600_000)
      expect(outbox.delivery.nextDueAt()).toBe(at)
      expect(outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready).toEqual([])
      expect(outbox.get(entry.id)?.nextAttemptAt).toBe(at)
    })

    it('never schedules a retry for "now" nor beyond the 24 h ceiling', async () => {
      const entry = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
      const attemptId = outbox.delivery.beginAttempt(entry.id, 'comment', entry.idempotencyKey)
      outbox.delivery.markRetry(entry.id, attemptId, {
        delayMs: 0,
        retryClass: 'server',
        mayHaveCommitted: true,
      })
      expect(outbox.get(entry.id)?.nextAttemptAt).toBe(h.clock.now() + MIN_RETRY_DELAY_MS)
      const again = outbox.delivery.beginAttempt(entry.id, 'comment', entry.idempotencyKey)
      outbox.delivery.markRetry(entry.id, again, {
        delayMs: 3 * MAX_RETRY_DELAY_MS,
        retryClass: 'rate-limit',
        mayHaveCommitted: false,
      })
      expect(outbox.get(entry.id)?.nextAttemptAt).toBe(h.clock.now() + MAX_RETRY_DELAY_MS)
      const third = outbox.delivery.beginAttempt(entry.id, 'comment', entry.idempotencyKey)
      outbox.delivery.markRetry(entry.id, third, {
        delayMs: Number.NaN,
        retryClass: 'other',
        mayHaveCommitted: true,
      })
      expect(outbox.get(entry.id)!.nextAttemptAt!).toBeGreaterThan(h.clock.now() + MIN_RETRY_DELAY_MS)
    })
  })

  it('resumes an entry found `sending` at start-up with the same key', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    outbox.delivery.beginAttempt(entry.id, 'report', entry.idempotencyKey)
    expect(outbox.get(entry.id)?.state).toBe('sending')
    outbox.close() // as if the process died mid-request
    outbox = await h.open()
    sender = new EntrySender({
      ledger: outbox.delivery,
      port,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(3) }),
      logger: silentLogger,
    })
    expect(outbox.get(entry.id)).toMatchObject({ state: 'queued', idempotencyKey: entry.idempotencyKey })
    expect(outbox.attempts(entry.id)).toMatchObject([{ outcome: 'interrupted', mayHaveCommitted: true }])
    expect((await sendHead()).result).toBe('delivered')
    expect(port.calls[0]?.idempotencyKey).toBe(entry.idempotencyKey)
  })

  it('holds as too-old when an attempt that may have been applied is older than 23 h, with the facts', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error: qubsError({ kind: 'timeout' }) })
    await sendHead()
    h.clock.advance(RESEND_SAFE_WINDOW_MS + 60_000)
    expect((await sendHead()).result).toBe('held')
    const held = outbox.get(entry.id)
    expect(held).toMatchObject({ state: 'held', heldReason: 'too-old' })
    expect(held?.heldDetail).toContain('2026-01-05T08:00:00.000Z')
    expect(port.calls).toHaveLength(1)
  })

  it('a 404 after an attempt whose answer was lost says the report may already have been applied', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error: qubsError({ kind: 'network' }) })
    port.script('submitReport', { error: qubsError({ kind: 'http', status: 404, requestId: 'req-9' }) })
    expect((await sendHead()).result).toBe('retry')
    h.clock.advance(outbox.get(entry.id)!.nextAttemptAt! - h.clock.now())
    expect((await sendHead()).result).toBe('held')
    expect(outbox.get(entry.id)).toMatchObject({ heldReason: 'not-pending' })
    expect(outbox.get(entry.id)?.heldDetail).toMatch(
      /may already have been applied: check the appointment in QUBS/,
    )
  })

  it('a 404 on a first attempt says only that the appointment is no longer pending', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error: qubsError({ kind: 'http', status: 404 }) })
    expect((await sendHead()).result).toBe('held')
    expect(outbox.get(entry.id)?.heldDetail).not.toMatch(/may already have been applied/)
  })

  it('an entry queued (never sent) for days is sent normally: its key was never used', async () => {
    await outbox.enqueueReport('acme', 'A1', { reportText: PHI.reportText, reportStatus: 'final' })
    h.clock.advance(3 * 24 * 3_600_000)
    expect((await sendHead()).result).toBe('delivered')
  })

  it('a 429 only (nothing applied) does not start the 23 h clock', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error: qubsError({ kind: 'http', status: 429 }) })
    await sendHead()
    h.clock.advance(RESEND_SAFE_WINDOW_MS + 60_000)
    expect((await sendHead()).result).toBe('delivered')
    expect(outbox.get(entry.id)?.state).toBe('delivered')
  })

  it('retryHeld requeues in place with a NEW key; the old key stays in the attempts', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error: qubsError({ kind: 'http', status: 409 }) })
    await sendHead()
    await expect(outbox.retryHeld('nope')).rejects.toMatchObject({ code: 'not-found' })
    const retried = await outbox.retryHeld(entry.id)
    expect(retried).toMatchObject({ state: 'queued', heldReason: null })
    expect(retried.idempotencyKey).not.toBe(entry.idempotencyKey)
    await expect(outbox.retryHeld(entry.id)).rejects.toMatchObject({ code: 'bad-state' })
    expect((await sendHead()).result).toBe('delivered')
    expect(port.calls.map((c) => c.idempotencyKey)).toEqual([entry.idempotencyKey, retried.idempotencyKey])
  })

  it('exports a held entry as plaintext JSON (0600), and only then lets the person discard it', async () => {
    const held = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'preliminary',
    })
    const later = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.finalText,
      reportStatus: 'final',
    })
    port.script('submitReport', { error: qubsError({ kind: 'http', status: 400 }) })
    await sendHead()
    expect(outbox.get(later.id)?.blockedByHeld).toBe(true)
    await expect(outbox.discardHeld(held.id)).rejects.toMatchObject({ code: 'bad-state' })
    const file = join(h.dir, 'export.json')
    await outbox.exportEntry(held.id, file)
    const exported = JSON.parse(readFileSync(file, 'utf8'))
    expect(exported).toMatchObject({
      format: 'qubs-reporter/outbox-export/v1',
      entry: { id: held.id, heldReason: 'invalid' },
      report: { reportText: PHI.reportText },
    })
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    const discarded = await outbox.discardHeld(held.id)
    expect(discarded).toMatchObject({ purged: true, state: 'held' })
    expect(outbox.list().map((e) => e.id)).toEqual([later.id])
    expect(outbox.list({ includeDiscarded: true })).toHaveLength(2)
    expect(outbox.get(later.id)?.blockedByHeld).toBe(false)
    expect((await sendHead()).result).toBe('delivered')
  })

  it('holds an entry whose content cannot be decrypted, and lets it be discarded only with force', async () => {
    const entry = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    outbox.close()
    const { DatabaseSync } = await import('node:sqlite')
    const raw = new DatabaseSync(h.path)
    raw.prepare('UPDATE entries SET payload = ? WHERE id = ?').run(new Uint8Array(40).fill(1), entry.id)
    raw.close()
    outbox = await h.open()
    sender = new EntrySender({
      ledger: outbox.delivery,
      port,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(1) }),
      logger: silentLogger,
    })
    expect((await sendHead()).result).toBe('held')
    expect(outbox.get(entry.id)).toMatchObject({ heldReason: 'unreadable' })
    await expect(outbox.retryHeld(entry.id)).rejects.toMatchObject({ code: 'unreadable' })
    await expect(outbox.discardHeld(entry.id)).rejects.toMatchObject({ code: 'bad-state' })
    await outbox.discardHeld(entry.id, { force: true })
    expect(port.calls).toEqual([])
  })

  it('a shutdown abort leaves the entry `sending` with the attempt marked interrupted', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    port.script('submitReport', { hang: true })
    const stop = new AbortController()
    const [ticket] = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready
    const sending = sender.send(ticket!, stop.signal)
    await new Promise((resolve) => setImmediate(resolve))
    stop.abort()
    expect(await sending).toEqual({ result: 'interrupted', connectivity: null })
    expect(outbox.get(entry.id)?.state).toBe('sending')
    expect(outbox.attempts(entry.id)).toMatchObject([{ outcome: 'interrupted', mayHaveCommitted: true }])
  })
})
