import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OutboxError } from '../../../src-main/core/outbox'
import { attachmentSignatureProblem } from '../../../src-main/core/api/validation'
import { harness, PHI, PHI_MARKERS, type Harness } from './support'

/**
 * A text file was once delivered as application/pdf. What enters the outbox must be what it claims:
 * a PDF starts with "%PDF-" at offset 0; a DICOM file (Part 10, as DICOM SR is sent) has a 128-byte
 * preamble and then "DICM". A mismatch is a validation error naming the expected signature, never
 * quoting the content.
 */
const pdf = (text = PHI.reportText) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`)
const dicom = () => Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([2, 0, 0, 0])])

describe('attachment content at enqueue', () => {
  let h: Harness
  beforeEach(() => {
    h = harness(41)
  })
  afterEach(() => h.cleanup())

  it.each([
    [
      'plain text sent as application/pdf',
      'application/pdf',
      Buffer.from(PHI.reportText),
      '"%PDF-" at offset 0',
    ],
    [
      '"%PDF-" further in than offset 0',
      'application/pdf',
      Buffer.from(` %PDF-1.7 ${PHI.reportText}`),
      '"%PDF-"',
    ],
    ['a PDF sent as application/dicom', 'application/dicom', pdf(), '"DICM" at offset 128'],
    [
      'a DICOM file shorter than its preamble',
      'application/dicom',
      Buffer.alloc(100),
      '"DICM" at offset 128',
    ],
    ['a DICOM file sent as application/pdf', 'application/pdf', dicom(), '"%PDF-" at offset 0'],
  ] as const)(
    'refuses %s, naming the signature, queueing nothing',
    async (_name, contentType, bytes, expected) => {
      const outbox = await h.open()
      const error = await outbox
        .enqueueReportAttachment('acme', 'A1', { fileName: PHI.fileName, contentType, bytes })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OutboxError)
      expect(error).toMatchObject({ code: 'invalid-input' })
      const message = (error as Error).message
      expect(message).toContain(contentType)
      expect(message).toContain(expected)
      for (const marker of PHI_MARKERS) expect(message).not.toContain(marker)
      expect(outbox.list()).toEqual([])
      outbox.close()
    },
  )

  it('accepts a PDF and a DICOM Part 10 file as what they are', async () => {
    const outbox = await h.open()
    await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: 'r.pdf',
      contentType: 'application/pdf',
      bytes: pdf(),
    })
    await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: 'sr.dcm',
      contentType: 'application/dicom',
      bytes: dicom(),
    })
    expect(outbox.list().map((e) => e.kind)).toEqual(['report-attachment', 'report-attachment'])
    outbox.close()
  })

  it('is one rule the CLI and IPC can apply before the outbox: null when the bytes match', () => {
    expect(attachmentSignatureProblem('application/pdf', pdf())).toBeNull()
    expect(attachmentSignatureProblem('application/dicom', dicom())).toBeNull()
    expect(attachmentSignatureProblem('application/pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46]))).toMatch(
      /"%PDF-" at offset 0/,
    )
  })
})
