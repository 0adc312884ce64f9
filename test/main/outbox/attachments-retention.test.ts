import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import { EntrySender, RetryPolicy, UPLOAD_KEY_REUSE_MS, type Outbox } from '../../../src-main/core/outbox'
import { harness, PHI, qubsError, ScriptedPort, type Harness } from './support'

describe('report attachments in the outbox', () => {
  let h: Harness
  let outbox: Outbox
  let port: ScriptedPort
  const bytes = Buffer.from('%PDF-1.7 test attachment bytes')

  const senderFor = (box: Outbox) =>
    new EntrySender({
      ledger: box.delivery,
      port,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(2), baseMs: 1_000 }),
      logger: silentLogger,
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
})

describe('PHI retention', () => {
  let h: Harness
  let outbox: Outbox
  beforeEach(async () => {
    h = harness()
    outbox = await h.open()
  })
  afterEach(() => {
    if (!outbox.closed) outbox.close()
    h.cleanup()
  })

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
