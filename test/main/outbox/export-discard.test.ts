import { DatabaseSync } from 'node:sqlite'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ColumnCipher, columnAad } from '../../../src-main/core/outbox/column-cipher'
import type { Outbox } from '../../../src-main/core/outbox'
import { freshOutboxEachTest, PHI, type Harness } from './support'

/** Issue 6/11, point 1: export works whenever the content decrypts, and discard requires it. */
describe('outbox export and discard', () => {
  let h: Harness
  let outbox: Outbox

  freshOutboxEachTest(
    (fresh, opened) => ((h = fresh), (outbox = opened)),
    () => outbox,
  )

  /** Rewrites an entry's stored payload (encrypted with the harness's key) and holds the entry. */
  async function storeHeldPayload(entryId: string, payloadText: string | Uint8Array): Promise<void> {
    outbox.close()
    const cipher = new ColumnCipher(Buffer.alloc(32, 9))
    const raw = new DatabaseSync(h.path)
    const payload =
      typeof payloadText === 'string'
        ? cipher.encryptText(payloadText, columnAad(entryId, 'payload'))
        : payloadText
    raw
      .prepare(
        "UPDATE entries SET payload = ?, state = 'held', held_reason = 'unreadable', held_detail = 'x' WHERE id = ?",
      )
      .run(payload, entryId)
    raw.close()
    outbox = await h.open()
  }

  it('exports the decrypted raw JSON of a payload today`s schema refuses (an unknown field), with its metadata', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    const stored = {
      reportText: PHI.reportText,
      reportStatus: 'final',
      reportedAtUtc: '2026-01-05T08:00:00.000Z',
      fieldFromANewerVersion: 'kept',
    }
    await storeHeldPayload(entry.id, JSON.stringify(stored))
    // Refused before the export: an export is what makes a discard safe.
    await expect(outbox.discardHeld(entry.id)).rejects.toMatchObject({ code: 'bad-state' })
    const file = join(h.dir, 'newer.json')
    await outbox.exportEntry(entry.id, file)
    const exported = JSON.parse(readFileSync(file, 'utf8'))
    expect(exported).toMatchObject({
      format: 'qubs-reporter/outbox-export/v1',
      entry: {
        id: entry.id,
        kind: 'report',
        domain: 'acme',
        appointmentId: 'A1',
        idempotencyKey: entry.idempotencyKey,
        state: 'held',
        heldReason: 'unreadable',
        createdAt: '2026-01-05T08:00:00.000Z',
      },
      report: stored,
    })
    const discarded = await outbox.discardHeld(entry.id)
    expect(discarded).toMatchObject({ purged: true, discardedAt: h.clock.now() })
  })

  it('refuses a discard without export even when the content does not decrypt; --force keeps the encrypted copy until retention', async () => {
    const entry = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    const garbage = new Uint8Array(40).fill(1)
    await storeHeldPayload(entry.id, garbage)
    await expect(outbox.exportEntry(entry.id, join(h.dir, 'x.json'))).rejects.toMatchObject({
      code: 'unreadable',
    })
    await expect(outbox.discardHeld(entry.id)).rejects.toMatchObject({ code: 'bad-state' })
    const forced = await outbox.discardHeld(entry.id, { force: true })
    expect(forced).toMatchObject({ discardedAt: h.clock.now(), purged: false })
    expect(outbox.list().map((e) => e.id)).toEqual([])
    const payloadOnDisk = () => {
      outbox.close()
      const raw = new DatabaseSync(h.path)
      const row = raw.prepare('SELECT payload FROM entries WHERE id = ?').get(entry.id)
      raw.close()
      return row?.payload ?? null
    }
    expect(payloadOnDisk()).toEqual(garbage)
    outbox = await h.open()
    h.clock.advance(30_000)
    expect(outbox.purge({ phiRetentionMs: 60_000 }).phiPurged).toBe(0)
    h.clock.advance(31_000)
    expect(outbox.purge({ phiRetentionMs: 60_000 }).phiPurged).toBe(1)
    expect(outbox.get(entry.id)).toMatchObject({ purged: true })
    expect(payloadOnDisk()).toBeNull()
  })

  it('a forced discard of a readable entry keeps its text exportable until retention purges it', async () => {
    const entry = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    await storeHeldPayload(entry.id, JSON.stringify({ commentText: PHI.commentText }))
    await outbox.discardHeld(entry.id, { force: true })
    const file = join(h.dir, 'after-force.json')
    await outbox.exportEntry(entry.id, file)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      entry: { id: entry.id },
      comment: { commentText: PHI.commentText },
    })
  })

  it('never overwrites an existing file or a device: a second export to the same path is refused, the first copy kept', async () => {
    const first = await outbox.enqueueReport('acme', 'A1', {
      reportText: 'Report one.',
      reportStatus: 'final',
    })
    const second = await outbox.enqueueReport('acme', 'A2', {
      reportText: 'Report two.',
      reportStatus: 'final',
    })
    await storeHeldPayload(
      first.id,
      JSON.stringify({
        reportText: 'Report one.',
        reportStatus: 'final',
        reportedAtUtc: '2026-01-01T00:00:00Z',
      }),
    )
    await storeHeldPayload(
      second.id,
      JSON.stringify({
        reportText: 'Report two.',
        reportStatus: 'final',
        reportedAtUtc: '2026-01-01T00:00:00Z',
      }),
    )
    const target = join(h.dir, 'held.json')
    await outbox.exportEntry(first.id, target)
    await expect(outbox.exportEntry(second.id, target)).rejects.toMatchObject({ code: 'export-failed' })
    expect(readFileSync(target, 'utf8')).toContain('Report one.')
    // The refused export recorded nothing: the second entry still cannot be discarded without force.
    await expect(outbox.discardHeld(second.id)).rejects.toMatchObject({ code: 'bad-state' })
  })
})
