import { DatabaseSync } from 'node:sqlite'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { OutboxError, OutboxOpenError, SCHEMA_VERSION } from '../../../src-main/core/outbox'
import { harness, PHI, PHI_MARKERS, type Harness } from './support'

describe('outbox store', () => {
  let h: Harness
  beforeEach(() => {
    h = harness()
  })
  afterEach(() => h.cleanup())

  it('opens with WAL, synchronous=FULL, an exclusive lock and the current schema version', async () => {
    const outbox = await h.open()
    expect(outbox.diagnostics()).toEqual({
      journalMode: 'wal',
      synchronous: 2,
      schemaVersion: SCHEMA_VERSION,
      lockingMode: 'exclusive',
    })
    outbox.close()
    const raw = new DatabaseSync(h.path)
    expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION })
    raw.close()
  })

  it('refuses a second opener while the first holds the outbox', async () => {
    const first = await h.open()
    await first.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    await expect(h.open()).rejects.toMatchObject({ name: 'OutboxOpenError', code: 'busy' })
    first.close()
    const again = await h.open()
    expect(again.list()).toHaveLength(1)
    again.close()
  })

  it('keeps an enqueued entry, its key and its frozen payload across close and reopen', async () => {
    const outbox = await h.open()
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'preliminary',
    })
    expect(entry).toMatchObject({ kind: 'report', state: 'queued', attempts: 0, reportStatus: 'preliminary' })
    expect(entry.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
    outbox.close()
    const reopened = await h.open()
    expect(reopened.get(entry.id)).toEqual(entry)
    const payload = reopened.delivery.loadPayload(entry.id)
    // reportedAtUtc is stamped at enqueue, so every resend carries the same bytes.
    expect(payload).toEqual({
      kind: 'report',
      report: {
        reportText: PHI.reportText,
        reportStatus: 'preliminary',
        reportedAtUtc: '2026-01-05T08:00:00.000Z',
      },
    })
    reopened.close()
  })

  it('encrypts PHI at rest: neither the database nor its WAL contains the text or the file bytes', async () => {
    const outbox = await h.open()
    const marker = Buffer.from('%PDF-1.7 marker-PHI-bytes-5521')
    await outbox.enqueueReport('acme', 'A1', { reportText: PHI.reportText, reportStatus: 'final' })
    await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: PHI.fileName,
      contentType: 'application/pdf',
      bytes: marker,
    })
    const onDisk = readdirSync(h.dir)
      .map((name) => readFileSync(join(h.dir, name)).toString('latin1'))
      .join('')
    expect(onDisk.length).toBeGreaterThan(0)
    for (const secret of [...PHI_MARKERS, 'marker-PHI-bytes']) expect(onDisk).not.toContain(secret)
    outbox.close()
  })

  it('binds each ciphertext to its entry and column: a payload moved to another row does not decrypt', async () => {
    const outbox = await h.open()
    const a = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    const b = await outbox.enqueueComment('acme', 'B1', { commentText: 'other' })
    outbox.close()
    const raw = new DatabaseSync(h.path)
    raw
      .prepare('UPDATE entries SET payload = (SELECT payload FROM entries WHERE id = ?) WHERE id = ?')
      .run(a.id, b.id)
    raw.close()
    const reopened = await h.open()
    expect(() => reopened.delivery.loadPayload(b.id)).toThrow(OutboxError)
    expect(reopened.problems()).toEqual([
      { rowId: 2, id: b.id, domain: 'acme', appointmentId: 'B1', problem: 'payload-decrypt' },
    ])
    expect(reopened.delivery.loadPayload(a.id)).toMatchObject({ kind: 'comment' })
    reopened.close()
  })

  it('refuses to open with another data key instead of reporting every row as corrupt', async () => {
    const outbox = await h.open()
    await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    outbox.close()
    const error = await h.open({ vault: new MemoryVault(Buffer.alloc(32, 1)) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OutboxOpenError)
    expect(error).toMatchObject({ code: 'wrong-key' })
  })

  it('refuses a schema newer than it knows', async () => {
    ;(await h.open()).close()
    const raw = new DatabaseSync(h.path)
    raw.exec('PRAGMA user_version = 99')
    raw.close()
    await expect(h.open()).rejects.toMatchObject({ code: 'schema-too-new' })
  })

  it('migrates an empty file to the current schema in one transaction', async () => {
    writeFileSync(h.path, '')
    const outbox = await h.open()
    expect(outbox.diagnostics().schemaVersion).toBe(SCHEMA_VERSION)
    expect(h.sink.records.some((r) => r.message === 'outbox schema migrated')).toBe(true)
    outbox.close()
  })

  it('fails the start-up integrity check on a damaged file rather than accepting reports into it', async () => {
    const outbox = await h.open()
    for (let i = 0; i < 40; i += 1)
      await outbox.enqueueComment('acme', `A${i}`, { commentText: `${PHI.commentText} ${'x'.repeat(500)}` })
    outbox.close()
    const raw = new DatabaseSync(h.path)
    raw.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    raw.close()
    const bytes = readFileSync(h.path)
    expect(bytes.length).toBeGreaterThan(4096 * 4)
    // Scribble over the middle of the second page onwards (page 1 holds the header and schema).
    for (let offset = 4096 + 100; offset < bytes.length - 4096; offset += 4096)
      bytes.fill(0xa5, offset, offset + 1500)
    writeFileSync(h.path, bytes)
    const error = await h.open().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OutboxOpenError)
    expect(['integrity', 'open']).toContain((error as OutboxOpenError).code)
  })

  it('validates submissions at enqueue and names only fields, never their content', async () => {
    const outbox = await h.open()
    const blank = await outbox
      .enqueueReport('acme', 'A1', { reportText: '   ', reportStatus: 'final' })
      .catch((e: unknown) => e)
    expect(blank).toMatchObject({ name: 'OutboxError', code: 'invalid-input' })
    expect((blank as Error).message).toContain('reportText')
    const badType = await outbox
      .enqueueReportAttachment('acme', 'A1', {
        fileName: PHI.fileName,
        contentType: 'image/png' as 'application/pdf',
        bytes: new Uint8Array([1]),
      })
      .catch((e: unknown) => e)
    expect((badType as Error).message).toContain('contentType')
    for (const marker of PHI_MARKERS) expect((badType as Error).message).not.toContain(marker)
    const tooBig = await outbox
      .enqueueReportAttachment('acme', 'A1', {
        fileName: 'r.pdf',
        contentType: 'application/pdf',
        bytes: new Uint8Array(2 * 1024 * 1024 + 1),
      })
      .catch((e: unknown) => e)
    expect(tooBig).toMatchObject({ code: 'invalid-input' })
    expect(outbox.list()).toEqual([])
    outbox.close()
  })

  it('reports a row corrupted on disk, keeps listing the others, and blocks only its own appointment', async () => {
    const outbox = await h.open()
    const bad = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    const later = await outbox.enqueueReport('acme', 'A1', { reportText: 'later', reportStatus: 'final' })
    const other = await outbox.enqueueComment('acme', 'B1', { commentText: 'other' })
    outbox.close()
    const raw = new DatabaseSync(h.path)
    // A constraint violation would be caught by quick_check at open; a broken JSON column is not.
    raw.prepare("UPDATE entries SET last_error = '{broken' WHERE id = ?").run(bad.id)
    raw.close()
    const reopened = await h.open()
    // Listed (finding E), as held `unreadable`: the person must see what blocks the appointment.
    expect(reopened.list().map((e) => e.id)).toEqual([bad.id, later.id, other.id])
    expect(reopened.list().find((e) => e.id === later.id)?.blockedByHeld).toBe(true)
    expect(reopened.problems()).toEqual([
      { rowId: 1, id: bad.id, domain: 'acme', appointmentId: 'A1', problem: 'row-shape' },
    ])
    const due = reopened.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 10 })
    expect(due.ready.map((t) => t.id)).toEqual([other.id])
    expect(due.corrupt.map((c) => c.id)).toEqual([bad.id])
    reopened.close()
  })

  describe('a row whose PHI-free columns are damaged (finding E)', () => {
    async function damaged() {
      const outbox = await h.open()
      const bad = await outbox.enqueueReport('acme', 'A1', {
        reportText: PHI.reportText,
        reportStatus: 'preliminary',
      })
      const later = await outbox.enqueueReport('acme', 'A1', {
        reportText: PHI.reportText,
        reportStatus: 'final',
      })
      outbox.close()
      const raw = new DatabaseSync(h.path)
      raw.prepare("UPDATE entries SET last_error = '{bad' WHERE id = ?").run(bad.id)
      raw.close()
      return { outbox: await h.open(), bad, later }
    }

    it('is listed as held `unreadable` (PHI-free), with the entries behind it shown as blocked', async () => {
      const { outbox, bad, later } = await damaged()
      const listed = outbox.list()
      expect(listed.map((e) => e.id)).toEqual([bad.id, later.id])
      expect(listed[0]).toMatchObject({
        id: bad.id,
        kind: 'report',
        domain: 'acme',
        appointmentId: 'A1',
        idempotencyKey: bad.idempotencyKey,
        state: 'held',
        heldReason: 'unreadable',
        blockedByHeld: false,
        exportedAt: null,
        purged: false,
      })
      expect(listed[0]?.heldDetail).toMatch(/Export it/)
      expect(listed[1]).toMatchObject({ id: later.id, state: 'queued', blockedByHeld: true })
      expect(outbox.list({ state: 'held' }).map((e) => e.id)).toEqual([bad.id])
      expect(outbox.get(bad.id)).toEqual(listed[0])
      for (const marker of PHI_MARKERS) expect(JSON.stringify(listed)).not.toContain(marker)
      // problems() still says exactly what is wrong.
      expect(outbox.problems()).toEqual([
        { rowId: 1, id: bad.id, domain: 'acme', appointmentId: 'A1', problem: 'row-shape' },
      ])
      outbox.close()
    })

    it('can be exported (its text comes out), then discarded, which unblocks its appointment', async () => {
      const { outbox, bad, later } = await damaged()
      await expect(outbox.discardHeld(bad.id)).rejects.toMatchObject({ code: 'bad-state' })
      await expect(outbox.retryHeld(bad.id)).rejects.toMatchObject({ code: 'unreadable' })
      const file = join(h.dir, 'damaged.json')
      const exported = await outbox.exportEntry(bad.id, file)
      expect(exported).toMatchObject({ id: bad.id, state: 'held', exportedAt: h.clock.now() })
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
        format: 'qubs-reporter/outbox-export/v1',
        entry: { id: bad.id, heldReason: 'unreadable' },
        report: { reportText: PHI.reportText },
      })
      const discarded = await outbox.discardHeld(bad.id)
      expect(discarded).toMatchObject({ id: bad.id, purged: true, discardedAt: h.clock.now() })
      expect(outbox.list().map((e) => e.id)).toEqual([later.id])
      expect(outbox.get(later.id)?.blockedByHeld).toBe(false)
      const due = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 5 })
      expect(due.ready.map((t) => t.id)).toEqual([later.id])
      expect(due.corrupt).toEqual([])
      outbox.close()
      const raw = new DatabaseSync(h.path)
      expect(raw.prepare('SELECT payload FROM entries WHERE id = ?').get(bad.id)).toEqual({ payload: null })
      raw.close()
    })

    it('whose content does not decrypt either may be discarded only with force', async () => {
      const { outbox, bad } = await damaged()
      outbox.close()
      const raw = new DatabaseSync(h.path)
      raw.prepare('UPDATE entries SET payload = ? WHERE id = ?').run(new Uint8Array(40).fill(1), bad.id)
      raw.close()
      const reopened = await h.open()
      await expect(reopened.exportEntry(bad.id, join(h.dir, 'x.json'))).rejects.toMatchObject({
        code: 'unreadable',
      })
      await expect(reopened.discardHeld(bad.id)).rejects.toMatchObject({ code: 'bad-state' })
      expect((await reopened.discardHeld(bad.id, { force: true })).discardedAt).toBe(h.clock.now())
      reopened.close()
    })
  })

  describe('enqueue validation (findings D and F)', () => {
    it.each([
      ['a blank appointment id', 'acme', '   ', 'appointmentId'],
      ['an empty appointment id', 'acme', '', 'appointmentId'],
      ['a blank domain', '   ', 'A1', 'domain'],
      ['an empty domain', '', 'A1', 'domain'],
      ['a domain that is not a path segment', 'ac/me', 'A1', 'domain'],
    ])('refuses %s as invalid-input naming the field', async (_name, domain, appointmentId, field) => {
      const outbox = await h.open()
      const attempts = [
        outbox.enqueueReport(domain, appointmentId, { reportText: PHI.reportText, reportStatus: 'final' }),
        outbox.enqueueComment(domain, appointmentId, { commentText: PHI.commentText }),
        outbox.enqueueReportAttachment(domain, appointmentId, {
          fileName: PHI.fileName,
          contentType: 'application/pdf',
          bytes: new Uint8Array([1]),
        }),
      ]
      for (const attempt of attempts) {
        const error = await attempt.catch((e: unknown) => e)
        expect(error).toBeInstanceOf(OutboxError)
        expect(error).toMatchObject({ code: 'invalid-input' })
        expect((error as Error).message).toContain(field)
        for (const marker of PHI_MARKERS) expect((error as Error).message).not.toContain(marker)
      }
      expect(outbox.list()).toEqual([])
      outbox.close()
    })

    it('freezes a reportedAtUtc given with an offset as the same instant in UTC', async () => {
      const outbox = await h.open()
      const entry = await outbox.enqueueReport('acme', 'A1', {
        reportText: PHI.reportText,
        reportStatus: 'final',
        reportedAtUtc: '2026-01-05T10:00:00+02:00',
      })
      expect(outbox.delivery.loadPayload(entry.id)).toMatchObject({
        report: { reportedAtUtc: '2026-01-05T08:00:00.000Z' },
      })
      const utc = await outbox.enqueueReport('acme', 'A2', {
        reportText: PHI.reportText,
        reportStatus: 'final',
        reportedAtUtc: '2026-01-05T08:00:00.123456Z',
      })
      // Already UTC: kept exactly as given.
      expect(outbox.delivery.loadPayload(utc.id)).toMatchObject({
        report: { reportedAtUtc: '2026-01-05T08:00:00.123456Z' },
      })
      outbox.close()
    })

    it('a reportedAtUtc the frozen schema cannot hold is invalid-input, never a raw ZodError', async () => {
      const outbox = await h.open()
      // A valid ISO time with an offset whose UTC instant falls in year 10000.
      const error = await outbox
        .enqueueReport('acme', 'A1', {
          reportText: PHI.reportText,
          reportStatus: 'final',
          reportedAtUtc: '9999-12-31T23:00:00-14:00',
        })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OutboxError)
      expect(error).toMatchObject({ code: 'invalid-input' })
      expect((error as Error).message).toContain('reportedAtUtc')
      for (const marker of PHI_MARKERS) expect((error as Error).message).not.toContain(marker)
      expect(outbox.list()).toEqual([])
      outbox.close()
    })
  })

  it('never writes PHI into log records', async () => {
    const outbox = await h.open()
    await outbox.enqueueReport('acme', 'A1', { reportText: PHI.reportText, reportStatus: 'final' })
    await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: PHI.fileName,
      contentType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.7 marker-PHI-bytes'),
    })
    outbox.close()
    const logged = JSON.stringify(h.sink.records)
    expect(h.sink.records.length).toBeGreaterThan(0)
    for (const marker of PHI_MARKERS) expect(logged).not.toContain(marker)
  })
})
