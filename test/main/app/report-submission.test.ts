import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MAX_ATTACHMENT_FILE_NAME_CHARS,
  MAX_REPORT_ATTACHMENT_BYTES,
  MAX_REPORT_ATTACHMENTS,
  MAX_REPORT_TEXT_BYTES,
  type NewReport,
  type NewReportAttachment,
  type OutboxEntryView,
} from '../../../src-preload/contract'
import {
  MAX_FILE_NAME_CHARS,
  MAX_REPORT_TEXT_BYTES as CLIENT_MAX_REPORT_TEXT_BYTES,
  MAX_UPLOAD_BYTES,
} from '../../../src-main/core/api/validation'
import { startCoreOnSandbox, type CoreOnSandbox } from '../../support/core-on-sandbox'
import { call, logText, value } from './support'

/** Reports and report files through the real dispatcher and the outbox actions, against the sandbox. */
describe('report submission capabilities', () => {
  let app: CoreOnSandbox
  let pending: string[]

  beforeAll(async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 12, domains: ['acme'], seed: 11 } })
    pending = app.sandbox.current.admin.pendingAppointmentIds('acme', 12)
  })
  afterAll(() => app?.close())

  const clinician = { name: 'Dr Test Reader', providerNumber: '1234567A', email: 'reader@example.test' }
  const report = (overrides: Partial<NewReport> = {}): NewReport => ({
    reportText: 'Canary report text 5d1c. No acute abnormality.',
    reportStatus: 'preliminary',
    clinician,
    reportedAtUtc: '2026-01-05T10:00:00.000Z',
    ...overrides,
  })
  const pdf = (n = 0): NewReportAttachment => ({
    fileName: `report-${n}.pdf`,
    contentType: 'application/pdf',
    bytes: Buffer.from(`%PDF-1.7\nCanary file ${n}\n%%EOF\n`),
  })

  async function settle(): Promise<void> {
    await app.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
  }

  it('keeps the contract limits equal to the QUBS client’s', () => {
    expect(MAX_REPORT_TEXT_BYTES).toBe(CLIENT_MAX_REPORT_TEXT_BYTES)
    expect(MAX_REPORT_ATTACHMENT_BYTES).toBe(MAX_UPLOAD_BYTES)
    expect(MAX_ATTACHMENT_FILE_NAME_CHARS).toBe(MAX_FILE_NAME_CHARS)
  })

  it('delivers a final queued after a preliminary after it, stamped with the clinician, without PHI in logs', async () => {
    const appointmentId = pending[0]!
    const preliminary = await value<OutboxEntryView>(app, 'enqueueReport', 'acme', appointmentId, report())
    const final = await value<OutboxEntryView>(
      app,
      'enqueueReport',
      'acme',
      appointmentId,
      report({ reportStatus: 'final', reportText: 'Canary final text 5d1c.' }),
    )
    expect(preliminary).toMatchObject({ kind: 'report', reportStatus: 'preliminary' })
    expect(final).toMatchObject({ kind: 'report', reportStatus: 'final' })
    await settle()
    expect(app.services.outbox.get(final.id)).toMatchObject({ state: 'delivered' })
    const effects = app.sandbox.current.admin
      .effects()
      .filter((e) => e.kind === 'report' && e.appointmentId === appointmentId)
    expect(effects.map((e) => e.reportStatus)).toEqual(['preliminary', 'final'])
    expect(effects[0]!.seq).toBeLessThan(effects[1]!.seq)
    const exported = await value<{ path: string }>(app, 'exportOutboxEntry', final.id)
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(exported.path, 'utf8')).toContain('1234567A')
    const listed = await value<OutboxEntryView[]>(app, 'listOutbox')
    expect(JSON.stringify(listed) + JSON.stringify(app.events) + logText(app)).not.toContain('Canary')
  })

  it('queues one entry when the same submissionKey comes twice (a double click)', async () => {
    const before = app.services.outbox.list().length
    const once = report({ submissionKey: 'b6f2e7a0-3c1d-4f7e-9a61-double-click' })
    const first = await value<OutboxEntryView>(app, 'enqueueReport', 'acme', pending[1], once)
    const second = await value<OutboxEntryView>(app, 'enqueueReport', 'acme', pending[1], once)
    expect(second.id).toBe(first.id)
    expect(app.services.outbox.list().length).toBe(before + 1)
    // The same key for other text is another submission under a reused key: refused, nothing queued.
    const reused = await call(app, 'enqueueReport', 'acme', pending[1], {
      ...once,
      reportText: 'Other text.',
    })
    expect(reused).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(app.services.outbox.list().length).toBe(before + 1)
    await settle()
  })

  it('takes a report of exactly 2 MiB of UTF-8 and refuses one byte more, clearly, queueing nothing', async () => {
    // 'é' is 2 bytes in UTF-8 but 1 UTF-16 unit: a character count would take the longer one.
    const full = 'é'.repeat(MAX_REPORT_TEXT_BYTES / 2)
    const before = app.services.outbox.list().length
    const refused = await call(app, 'enqueueReport', 'acme', pending[2], report({ reportText: `${full}a` }))
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
    expect(!refused.ok && refused.error.message).toMatch(/reportText: .*at most 2097152 bytes of UTF-8/)
    expect(app.services.outbox.list().length).toBe(before)
    // Main's own check too, for a caller that skips the dispatcher's.
    await expect(
      app.core.enqueueReport('acme', pending[2]!, report({ reportText: `${full}a` })),
    ).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/2097152 bytes/) })
    const taken = await value<OutboxEntryView>(
      app,
      'enqueueReport',
      'acme',
      pending[2],
      report({ reportText: full }),
    )
    expect(taken).toMatchObject({ kind: 'report' })
    await settle()
  })

  it('refuses a final without the clinician’s name or provider number, naming what is missing', async () => {
    const envelope = await call(
      app,
      'enqueueReport',
      'acme',
      pending[3],
      report({ reportStatus: 'final', clinician: { name: 'Dr Test Reader', providerNumber: '', email: '' } }),
    )
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
    expect(!envelope.ok && envelope.error.message).toMatch(/clinician\.providerNumber: .*provider number/)
    // A preliminary without them is taken, and empty fields are left out of what is sent.
    const entry = await value<OutboxEntryView>(
      app,
      'enqueueReport',
      'acme',
      pending[3],
      report({ clinician: { name: '', providerNumber: '', email: '' } }),
    )
    const exported = await value<{ path: string }>(app, 'exportOutboxEntry', entry.id)
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(exported.path, 'utf8')).not.toContain('interpretingClinicianName')
    await settle()
  })

  it('refuses a PDF sent as DICOM (the type is checked by content in main)', async () => {
    const before = app.services.outbox.list().length
    const envelope = await call(app, 'enqueueReportAttachment', 'acme', pending[4], {
      ...pdf(),
      contentType: 'application/dicom',
    })
    expect(envelope).toMatchObject({ ok: false, error: { code: 'validation' } })
    expect(!envelope.ok && envelope.error.message).toMatch(/DICOM Part 10/)
    expect(app.services.outbox.list().length).toBe(before)
  })

  it('refuses a file over the client’s cap and a name over 255 characters', async () => {
    const big = new Uint8Array(MAX_REPORT_ATTACHMENT_BYTES + 1)
    big.set(Buffer.from('%PDF-1.7\n'))
    const tooBig = await call(app, 'enqueueReportAttachment', 'acme', pending[4], { ...pdf(), bytes: big })
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
    const longName = await call(app, 'enqueueReportAttachment', 'acme', pending[4], {
      ...pdf(),
      fileName: `${'x'.repeat(MAX_ATTACHMENT_FILE_NAME_CHARS - 3)}.pdf`,
    })
    expect(longName).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
  })

  it(`takes ${MAX_REPORT_ATTACHMENTS} files for a report and refuses the next; a repeated key is not a new file`, async () => {
    const appointmentId = pending[5]!
    const entries: OutboxEntryView[] = []
    for (let n = 0; n < MAX_REPORT_ATTACHMENTS; n += 1) {
      const file = { ...pdf(n), submissionKey: `file-key-${n}` }
      entries.push(await value<OutboxEntryView>(app, 'enqueueReportAttachment', 'acme', appointmentId, file))
    }
    // The same file again under its key answers the entry it already has, even at the limit.
    const again = await value<OutboxEntryView>(app, 'enqueueReportAttachment', 'acme', appointmentId, {
      ...pdf(3),
      submissionKey: 'file-key-3',
    })
    expect(again.id).toBe(entries[3]!.id)
    const before = app.services.outbox.list().length
    const refused = await call(app, 'enqueueReportAttachment', 'acme', appointmentId, pdf(99))
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation' } })
    expect(!refused.ok && refused.error.message).toMatch(/at most 20 files/)
    expect(app.services.outbox.list().length).toBe(before)
    // Another appointment's report still has room.
    const other = await value<OutboxEntryView>(app, 'enqueueReportAttachment', 'acme', pending[6], pdf(0))
    expect(other).toMatchObject({ kind: 'report-attachment', appointmentId: pending[6] })
    await settle()
    const uploads = app.sandbox.current.admin
      .effects()
      .filter((e) => e.kind === 'upload' && e.appointmentId === appointmentId)
    expect(uploads).toHaveLength(MAX_REPORT_ATTACHMENTS)
  })
})
