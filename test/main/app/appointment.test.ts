import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ATTACHMENT_CHUNK_BYTES,
  type AppointmentView,
  type AttachmentChunk,
  type AttachmentDownload,
  type AttachmentView,
  type CommentView,
} from '../../../src-preload/contract'
import { startCoreOnSandbox, type CoreOnSandbox } from '../../support/core-on-sandbox'
import { call, logText, value } from './support'

/** The appointment view, comments and attachments through the real dispatcher, against the sandbox. */
describe('appointment, comments and attachments', () => {
  let app: CoreOnSandbox
  let pending: string[]

  beforeAll(async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 20, domains: ['acme'], seed: 11 } })
    pending = app.sandbox.current.admin.pendingAppointmentIds('acme', 20)
  })
  afterAll(() => app?.close())

  it('shows the whole appointment for the patient banner', async () => {
    const view = await value<AppointmentView>(app, 'getAppointment', 'acme', pending[0])
    expect(view).toMatchObject({ domain: 'acme', appointmentId: pending[0], status: 'PENDING REPORTING' })
    for (const field of ['patientName', 'dateOfBirth', 'gender', 'patientId'] as const) {
      expect(view[field]).toEqual(expect.any(String))
    }
    expect('extra' in view).toBe(true)
  })

  it('answers not-found, with the ids support needs and without PHI, for an appointment not pending', async () => {
    const envelope = await call(app, 'getAppointment', 'acme', 'NO-SUCH-APPOINTMENT')
    expect(envelope).toMatchObject({
      ok: false,
      error: {
        code: 'not-found',
        message: expect.stringContaining(
          'Appointment NO-SUCH-APPOINTMENT is not found or no longer pending reporting',
        ),
        correlationId: expect.any(String),
        requestId: expect.any(String),
      },
    })
  })

  it('lists comments in the contract shape', async () => {
    const withComments = await firstWith(async (id) => value<CommentView[]>(app, 'listComments', 'acme', id))
    expect(withComments.length).toBeGreaterThan(0)
    for (const comment of withComments) {
      expect(comment).toMatchObject({ guid: expect.any(String), isAlert: expect.any(Boolean) })
    }
  })

  it('lists attachment metadata without any presigned URL', async () => {
    const list = await firstWith((id) => value<AttachmentView[]>(app, 'listAttachments', 'acme', id))
    const text = JSON.stringify(list)
    expect(text).not.toContain('/blobs/')
    expect(text).not.toContain('urlExpiresAtUtc')
    expect(list[0]).toMatchObject({ guid: expect.any(String), fileName: expect.any(String) })
  })

  it('downloads an attachment in main and hands it over in chunks with its SHA-256 and sniffed type', async () => {
    const { id, guid } = await downloadable()
    const download = await value<AttachmentDownload>(app, 'downloadAttachment', 'acme', id, guid)
    expect(download.contentType).toBe('application/pdf')
    expect(download.chunkCount).toBe(Math.ceil(download.byteLength / ATTACHMENT_CHUNK_BYTES))
    const bytes = await reassemble(download)
    expect(bytes.byteLength).toBe(download.byteLength)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(download.sha256)
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    expect(logText(app)).not.toContain('/blobs/download/')
  })

  it('asks for a fresh URL when the one it listed has expired, instead of failing', async () => {
    const { id, guid } = await downloadable()
    await value(app, 'listAttachments', 'acme', id)
    // The storage's clock moves past the listed URL's expiry: using it is refused with 403.
    app.sandbox.current.admin.advanceClock(2 * 60 * 60 * 1000)
    const download = await value<AttachmentDownload>(app, 'downloadAttachment', 'acme', id, guid)
    expect(download.byteLength).toBeGreaterThan(0)
    expect(app.logs.records.some((r) => r.message === 'attachment URL refused; asking for a fresh one')).toBe(
      true,
    )
  })

  it('answers no-content, not a server fault, for an attachment QUBS has no file for yet', async () => {
    const { id, guid } = await withoutContent()
    const envelope = await call(app, 'downloadAttachment', 'acme', id, guid)
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'no-content', message: 'QUBS has no content for this file yet' },
    })
  })

  it('answers not-found for a chunk of an unknown download', async () => {
    expect(await call(app, 'getAttachmentChunk', 'no-such-download', 0)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })

  it('never logs patient details, whatever was read or refused above', async () => {
    await call(app, 'getAppointment', 'acme', 'NO-SUCH-APPOINTMENT')
    await call(app, 'downloadAttachment', 'acme', pending[0], 'no-such-guid')
    const text = logText(app)
    for (const id of pending.slice(0, 5)) {
      const view = await value<AppointmentView>(app, 'getAppointment', 'acme', id)
      for (const phi of [view.patientName, view.lastName, view.dateOfBirth, view.clinicalInfo]) {
        if (phi) expect(text).not.toContain(phi)
      }
    }
  })

  async function reassemble(download: AttachmentDownload): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    for (let index = 0; index < download.chunkCount; index++) {
      const chunk = await value<AttachmentChunk>(app, 'getAttachmentChunk', download.downloadId, index)
      expect(chunk.bytes).toBeInstanceOf(Uint8Array)
      parts.push(chunk.bytes)
    }
    return Buffer.concat(parts)
  }

  async function firstWith<T>(read: (id: string) => Promise<T[]>): Promise<T[]> {
    for (const id of pending) {
      const items = await read(id)
      if (items.length > 0) return items
    }
    throw new Error('no appointment in the sandbox has any')
  }

  async function downloadable(): Promise<{ id: string; guid: string }> {
    for (const id of pending) {
      for (const attachment of await app.services.client!.listAttachments('acme', id)) {
        if (attachment.url) return { id, guid: attachment.guid }
      }
    }
    throw new Error('no downloadable attachment in the sandbox')
  }

  async function withoutContent(): Promise<{ id: string; guid: string }> {
    for (const id of pending) {
      for (const attachment of await app.services.client!.listAttachments('acme', id)) {
        if (!attachment.url) return { id, guid: attachment.guid }
      }
    }
    throw new Error('no attachment without content in the sandbox')
  }
})
