import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import {
  EntrySender,
  MAX_UPLOAD_URLS,
  RetryPolicy,
  UPLOAD_KEY_REUSE_MS,
  type DeliveryProbe,
  type Outbox,
} from '../../../src-main/core/outbox'
import { parseServerTime } from '../../../src-main/core/outbox/entry-sender'
import { freshOutboxEachTest, harness, PHI, qubsError, ScriptedPort, type Harness } from './support'

describe('report attachments in the outbox', () => {
  let h: Harness
  let outbox: Outbox
  let port: ScriptedPort
  const bytes = Buffer.from('%PDF-1.7 test attachment bytes')

  const senderFor = (box: Outbox, probe?: DeliveryProbe) =>
    new EntrySender({
      ledger: box.delivery,
      port,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(2), baseMs: 1_000 }),
      logger: silentLogger,
      ...(probe ? { probe } : {}),
    })
  let sender: EntrySender
  const sendHead = async () => {
    const [ticket] = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready
    if (!ticket) throw new Error('nothing due')
    return sender.send(ticket, new AbortController().signal)
  }
  const due = () => {
    const next = outbox.delivery.nextDueAt()
    if (next !== null && next > h.clock.now()) h.clock.advance(next - h.clock.now())
  }

  beforeEach(async () => {
    h = harness()
    outbox = await h.open()
    port = new ScriptedPort(h.clock)
    sender = senderFor(outbox)
  })
  afterEach(() => {
    if (!outbox.closed) outbox.close()
    h.cleanup()
  })

  it('asks for an upload URL at send time with a derived per-attempt key, then PUTs with the content type', async () => {
    const entry = await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: PHI.fileName,
      contentType: 'application/pdf',
      bytes,
    })
    expect(await sendHead()).toEqual({ result: 'delivered', connectivity: 'online' })
    const [urlCall, putCall] = port.calls
    expect(urlCall).toMatchObject({
      method: 'createReportAttachmentUrls',
      idempotencyKey: `${entry.idempotencyKey}.u1`,
      input: [{ fileName: PHI.fileName, contentType: 'application/pdf' }],
    })
    expect(putCall).toMatchObject({
      method: 'uploadReportAttachment',
      contentType: 'application/pdf',
      byteLength: bytes.length,
    })
    expect(outbox.get(entry.id)).toMatchObject({
      state: 'delivered',
      result: { attachmentGuid: `ag-${entry.idempotencyKey}.u1` },
    })
    expect(outbox.attempts(entry.id).map((a) => [a.step, a.outcome])).toEqual([
      ['upload-url', 'step-ok'],
      ['upload', 'delivered'],
    ])
  })

  it('a refused PUT asks for a new URL under a new key; three refusals hold it as upload-rejected', async () => {
    const entry = await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: 'r.pdf',
      contentType: 'application/pdf',
      bytes,
    })
    const refused = { error: qubsError({ kind: 'http', status: 403 }) }
    port.script('uploadReportAttachment', refused, refused, refused)
    for (let i = 0; i < 2; i += 1) {
      expect((await sendHead()).result).toBe('retry')
      due()
    }
    expect((await sendHead()).result).toBe('held')
    expect(outbox.get(entry.id)).toMatchObject({ heldReason: 'upload-rejected' })
    expect(port.callsOf('createReportAttachmentUrls').map((c) => c.idempotencyKey)).toEqual(
      [1, 2, 3].map((n) => `${entry.idempotencyKey}.u${n}`),
    )
    expect(new Set(port.callsOf('uploadReportAttachment').map((c) => c.uploadUrl)).size).toBe(3)
  })

  it('a PUT with no answer is retried on the same URL while it is valid (no second URL, no duplicate GUID)', async () => {
    await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: 'r.pdf',
      contentType: 'application/pdf',
      bytes,
    })
    port.script('uploadReportAttachment', { error: qubsError({ kind: 'network' }) })
    expect((await sendHead()).result).toBe('retry')
    due()
    expect((await sendHead()).result).toBe('delivered')
    expect(port.callsOf('createReportAttachmentUrls')).toHaveLength(1)
    const urls = port.callsOf('uploadReportAttachment').map((c) => c.uploadUrl)
    expect(urls).toHaveLength(2)
    expect(urls[0]).toBe(urls[1])
  })

  it('after a restart the stored URL key is reused within its window (the server replays the same GUID), then renewed', async () => {
    const entry = await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: 'r.pdf',
      contentType: 'application/pdf',
      bytes,
    })
    port.script('createReportAttachmentUrls', { error: qubsError({ kind: 'timeout' }) })
    await sendHead()
    outbox.close()
    outbox = await h.open()
    sender = senderFor(outbox)
    due()
    port.script('createReportAttachmentUrls', { error: qubsError({ kind: 'timeout' }) })
    await sendHead()
    h.clock.advance(UPLOAD_KEY_REUSE_MS)
    expect((await sendHead()).result).toBe('delivered')
    expect(port.callsOf('createReportAttachmentUrls').map((c) => c.idempotencyKey)).toEqual([
      `${entry.idempotencyKey}.u1`,
      `${entry.idempotencyKey}.u1`,
      `${entry.idempotencyKey}.u2`,
    ])
  })

  it('never uses an URL past its expiry: a new key and URL are requested', async () => {
    const entry = await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: 'r.pdf',
      contentType: 'application/pdf',
      bytes,
    })
    port.urlTtlMs = 5 * 60_000
    port.script('uploadReportAttachment', { error: qubsError({ kind: 'http', status: 503 }) })
    await sendHead()
    h.clock.advance(5 * 60_000)
    expect((await sendHead()).result).toBe('delivered')
    expect(port.callsOf('createReportAttachmentUrls').map((c) => c.idempotencyKey)).toEqual([
      `${entry.idempotencyKey}.u1`,
      `${entry.idempotencyKey}.u2`,
    ])
  })

  describe('upload URLs that look expired (finding A)', () => {
    const attach = () =>
      outbox.enqueueReportAttachment('acme', 'A1', {
        fileName: 'r.pdf',
        contentType: 'application/pdf',
        bytes,
      })

    it.each([
      ['our clock is 14 min ahead of QUBS', (at: number) => new Date(at - 14 * 60_000).toISOString()],
      ['our clock is an hour ahead of QUBS', (at: number) => new Date(at - 60 * 60_000).toISOString()],
      ['the expiry is already past on our clock', (at: number) => new Date(at - 16 * 60_000).toISOString()],
    ])('%s: the URL received in this send is PUT at once, with one URL request', async (_name, format) => {
      const entry = await attach()
      port.formatExpiry = format
      expect(await sendHead()).toEqual({ result: 'delivered', connectivity: 'online' })
      expect(port.callsOf('createReportAttachmentUrls')).toHaveLength(1)
      expect(port.callsOf('uploadReportAttachment')).toHaveLength(1)
      expect(outbox.get(entry.id)?.result).toEqual({ attachmentGuid: `ag-${entry.idempotencyKey}.u1` })
    })

    it('a URL that looks spent is never followed by a retry after 0 ms, even when its PUT fails', async () => {
      const entry = await attach()
      port.formatExpiry = (at) => new Date(at - 14 * 60_000).toISOString()
      port.script('uploadReportAttachment', { error: qubsError({ kind: 'network' }) })
      expect((await sendHead()).result).toBe('retry')
      expect(outbox.get(entry.id)!.nextAttemptAt!).toBeGreaterThan(h.clock.now())
      expect(outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready).toEqual([])
      // Within its documented 15 minutes (counted on our clock from the key's minting) the URL is reused.
      due()
      expect((await sendHead()).result).toBe('delivered')
      expect(port.callsOf('createReportAttachmentUrls')).toHaveLength(1)
      const urls = port.callsOf('uploadReportAttachment').map((c) => c.uploadUrl)
      expect(urls).toEqual([urls[0], urls[0]])
    })

    it('an expiry without an offset is read as UTC, never as local time', async () => {
      const zone = process.env.TZ
      try {
        // Five hours behind UTC: read as local time, a 5-minute URL would look good for 5 h 5 min.
        process.env.TZ = 'America/New_York'
        expect(parseServerTime('2026-01-05T08:15:00')).toBe(Date.UTC(2026, 0, 5, 8, 15))
        expect(parseServerTime('2026-01-05T08:15:00.250')).toBe(Date.UTC(2026, 0, 5, 8, 15, 0, 250))
        expect(parseServerTime('2026-01-05T10:15:00+02:00')).toBe(Date.UTC(2026, 0, 5, 8, 15))
        expect(parseServerTime('2026-01-05T08:15:00Z')).toBe(Date.UTC(2026, 0, 5, 8, 15))
        expect(parseServerTime('soon')).toBeNull()
        const entry = await attach()
        port.urlTtlMs = 5 * 60_000
        port.formatExpiry = (at) => new Date(at).toISOString().replace(/Z$/, '')
        port.script('uploadReportAttachment', { error: qubsError({ kind: 'http', status: 503 }) })
        await sendHead()
        h.clock.advance(5 * 60_000)
        expect((await sendHead()).result).toBe('delivered')
        expect(port.callsOf('createReportAttachmentUrls').map((c) => c.idempotencyKey)).toEqual([
          `${entry.idempotencyKey}.u1`,
          `${entry.idempotencyKey}.u2`,
        ])
      } finally {
        if (zone === undefined) delete process.env.TZ
        else process.env.TZ = zone
      }
    })

    it(`holds as upload-rejected after ${MAX_UPLOAD_URLS} URLs whose content never reached storage`, async () => {
      const entry = await attach()
      const lost = { error: qubsError({ kind: 'network' }) }
      port.script('uploadReportAttachment', ...Array.from({ length: MAX_UPLOAD_URLS }, () => lost))
      const results: string[] = []
      for (let i = 0; i < 40 && outbox.get(entry.id)?.state === 'queued'; i += 1) {
        // Storage stays unreachable past every URL's lifetime: each try needs a new URL.
        h.clock.advance(16 * 60_000)
        results.push((await sendHead()).result)
      }
      expect(results.at(-1)).toBe('held')
      expect(outbox.get(entry.id)).toMatchObject({
        state: 'held',
        heldReason: 'upload-rejected',
        lastError: { code: 'upload-urls-exhausted' },
      })
      expect(outbox.get(entry.id)?.heldDetail).toContain(`${MAX_UPLOAD_URLS} upload URLs`)
      expect(port.callsOf('createReportAttachmentUrls')).toHaveLength(MAX_UPLOAD_URLS)
      // Before each renewal QUBS was asked whether the previous content had arrived after all.
      expect(port.callsOf('getAttachment')).toHaveLength(MAX_UPLOAD_URLS)
      // The person retries: the count starts again (and the upload now gets through).
      await outbox.retryHeld(entry.id)
      expect((await sendHead()).result).toBe('delivered')
    })
  })

  describe('an upload that may already have landed (finding B)', () => {
    const attach = () =>
      outbox.enqueueReportAttachment('acme', 'A1', {
        fileName: 'r.pdf',
        contentType: 'application/pdf',
        bytes,
      })

    it('a PUT whose answer was lost, then the URL expired: QUBS is asked, and nothing is uploaded twice', async () => {
      const entry = await attach()
      const guid = `ag-${entry.idempotencyKey}.u1`
      // The PUT reaches storage, then the network drops the answer.
      port.script('uploadReportAttachment', { error: qubsError({ kind: 'network' }) })
      expect((await sendHead()).result).toBe('retry')
      port.landed.add(guid)
      // The network stays down past the URL's lifetime.
      h.clock.advance(16 * 60_000)
      expect(await sendHead()).toEqual({ result: 'delivered', connectivity: 'online' })
      expect(outbox.get(entry.id)).toMatchObject({ state: 'delivered', result: { attachmentGuid: guid } })
      expect(port.callsOf('createReportAttachmentUrls')).toHaveLength(1)
      expect(port.callsOf('uploadReportAttachment')).toHaveLength(1)
      expect(port.callsOf('getAttachment')).toMatchObject([
        { domain: 'acme', appointmentId: 'A1', attachmentGuid: guid },
      ])
      expect(outbox.attempts(entry.id).map((a) => [a.step, a.outcome])).toEqual([
        ['upload-url', 'step-ok'],
        ['upload', 'retry'],
        ['upload-check', 'delivered'],
      ])
    })

    it('a crash between a successful PUT and markDelivered, restarted 13 min later: delivered, not uploaded again', async () => {
      const entry = await attach()
      const crash = new Error('process killed')
      sender = senderFor(outbox, (point) => {
        if (point === 'uploaded') throw crash
      })
      await expect(sendHead()).rejects.toBe(crash)
      outbox.close()
      h.clock.advance(UPLOAD_KEY_REUSE_MS + 60_000)
      outbox = await h.open()
      sender = senderFor(outbox)
      expect((await sendHead()).result).toBe('delivered')
      expect(outbox.get(entry.id)?.result).toEqual({ attachmentGuid: `ag-${entry.idempotencyKey}.u1` })
      expect(port.callsOf('createReportAttachmentUrls')).toHaveLength(1)
      expect(port.callsOf('uploadReportAttachment')).toHaveLength(1)
    })

    it('QUBS says the content is not there (url null, or 404): a new URL, and the content is uploaded once', async () => {
      const entry = await attach()
      port.script('uploadReportAttachment', { error: qubsError({ kind: 'timeout' }) })
      await sendHead()
      h.clock.advance(16 * 60_000)
      expect((await sendHead()).result).toBe('delivered')
      expect(port.callsOf('getAttachment')).toHaveLength(1)
      expect(outbox.get(entry.id)?.result).toEqual({ attachmentGuid: `ag-${entry.idempotencyKey}.u2` })

      const second = await outbox.enqueueReportAttachment('acme', 'B1', {
        fileName: 'r.pdf',
        contentType: 'application/pdf',
        bytes,
      })
      port.script('uploadReportAttachment', { error: qubsError({ kind: 'timeout' }) })
      port.script('getAttachment', { error: qubsError({ kind: 'http', status: 404 }) })
      await sendHead()
      h.clock.advance(16 * 60_000)
      expect((await sendHead()).result).toBe('delivered')
      expect(outbox.get(second.id)?.result).toEqual({ attachmentGuid: `ag-${second.idempotencyKey}.u2` })
    })

    it('the check failing without an answer retries later, and never requests a URL meanwhile', async () => {
      const entry = await attach()
      port.script('uploadReportAttachment', { error: qubsError({ kind: 'network' }) })
      await sendHead()
      h.clock.advance(16 * 60_000)
      port.script('getAttachment', { error: qubsError({ kind: 'network' }) })
      expect((await sendHead()).result).toBe('retry')
      expect(port.callsOf('createReportAttachmentUrls')).toHaveLength(1)
      port.landed.add(`ag-${entry.idempotencyKey}.u1`)
      due()
      expect((await sendHead()).result).toBe('delivered')
      expect(port.callsOf('uploadReportAttachment')).toHaveLength(1)
    })

    it('a 404 for the appointment after a lost PUT answer holds it, saying the upload may have arrived', async () => {
      const entry = await attach()
      port.script('uploadReportAttachment', { error: qubsError({ kind: 'network' }) })
      await sendHead()
      h.clock.advance(16 * 60_000)
      port.script('getAttachment', { error: qubsError({ kind: 'http', status: 404 }) })
      port.script('createReportAttachmentUrls', { error: qubsError({ kind: 'http', status: 404 }) })
      expect((await sendHead()).result).toBe('held')
      expect(outbox.get(entry.id)).toMatchObject({ heldReason: 'not-pending' })
      expect(outbox.get(entry.id)?.heldDetail).toMatch(/may already have been applied/)
    })

    it('a refused PUT stored nothing: no check before the next URL', async () => {
      await attach()
      port.script('uploadReportAttachment', { error: qubsError({ kind: 'http', status: 403 }) })
      expect((await sendHead()).result).toBe('retry')
      due()
      expect((await sendHead()).result).toBe('delivered')
      expect(port.callsOf('getAttachment')).toEqual([])
    })
  })
})

describe('PHI retention', () => {
  let h: Harness
  let outbox: Outbox
  freshOutboxEachTest(
    (fresh, opened) => ((h = fresh), (outbox = opened)),
    () => outbox,
  )

  it('purges PHI of delivered entries after the retention, keeps held ones, deletes metadata later', async () => {
    const port = new ScriptedPort(h.clock)
    const sender = new EntrySender({
      ledger: outbox.delivery,
      port,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(1) }),
      logger: silentLogger,
    })
    const delivered = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    const held = await outbox.enqueueReport('acme', 'B1', {
      reportText: PHI.finalText,
      reportStatus: 'final',
    })
    port.script(
      'submitReport',
      { answer: { reportGuid: 'g1' } },
      { error: qubsError({ kind: 'http', status: 404 }) },
    )
    for (const ticket of outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 5 })
      .ready) {
      await sender.send(ticket, new AbortController().signal)
    }
    expect(outbox.purge({ phiRetentionMs: 60_000 })).toEqual({ phiPurged: 0, metadataDeleted: 0 })
    h.clock.advance(60_000)
    expect(outbox.purge({ phiRetentionMs: 60_000 })).toEqual({ phiPurged: 1, metadataDeleted: 0 })
    expect(outbox.get(delivered.id)).toMatchObject({
      state: 'delivered',
      purged: true,
      result: { reportGuid: 'g1' },
    })
    expect(outbox.get(held.id)).toMatchObject({ state: 'held', purged: false })
    await expect(outbox.exportEntry(delivered.id, `${h.dir}/x.json`)).rejects.toMatchObject({
      code: 'purged',
    })
    outbox.close()
    const raw = new DatabaseSync(h.path)
    expect(raw.prepare('SELECT payload FROM entries WHERE id = ?').get(delivered.id)).toEqual({
      payload: null,
    })
    raw.close()
    outbox = await h.open()
    h.clock.advance(30 * 24 * 3_600_000)
    expect(outbox.purge()).toEqual({ phiPurged: 0, metadataDeleted: 1 })
    expect(outbox.get(delivered.id)).toBeNull()
    expect(outbox.get(held.id)?.state).toBe('held')
  })

  it('defaults to 24 h of PHI retention', async () => {
    const port = new ScriptedPort(h.clock)
    const sender = new EntrySender({
      ledger: outbox.delivery,
      port,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(1) }),
      logger: silentLogger,
    })
    await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    const [ticket] = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready
    await sender.send(ticket!, new AbortController().signal)
    h.clock.advance(24 * 3_600_000 - 1)
    expect(outbox.purge().phiPurged).toBe(0)
    h.clock.advance(1)
    expect(outbox.purge().phiPurged).toBe(1)
  })
})
