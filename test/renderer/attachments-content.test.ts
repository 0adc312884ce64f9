import { describe, expect, it } from 'vitest'
import { detectContentKind } from '../../src-renderer/src/features/attachments/content-kind'
import { safeDownloadName } from '../../src-renderer/src/features/attachments/attachment-format'
import { attachment } from './attachments-fixtures'

const bytes = (...values: number[]) => new Uint8Array(values)
const text = (value: string) => new TextEncoder().encode(value)

describe('attachment content kind (judged by bytes, never by name)', () => {
  it('recognises PDFs, also with junk before the header', () => {
    expect(detectContentKind(text('%PDF-1.4\n')).kind).toBe('pdf')
    expect(detectContentKind(text(`${' '.repeat(300)}%PDF-1.7`)).kind).toBe('pdf')
    expect(detectContentKind(text(`${' '.repeat(2000)}%PDF-1.7`)).kind).toBe('other')
  })

  it('recognises the images Chromium shows natively', () => {
    expect(detectContentKind(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toEqual({
      kind: 'image',
      mimeType: 'image/png',
    })
    expect(detectContentKind(bytes(0xff, 0xd8, 0xff, 0xe0)).mimeType).toBe('image/jpeg')
    expect(detectContentKind(text('GIF89a')).mimeType).toBe('image/gif')
    expect(detectContentKind(text('RIFF\0\0\0\0WEBPVP8 ')).mimeType).toBe('image/webp')
  })

  it('offers anything else for saving: TIFF, HTML, an executable, nothing at all', () => {
    for (const sample of [bytes(0x49, 0x49, 0x2a, 0), text('<html><script>'), text('MZ\x90\0'), bytes()]) {
      expect(detectContentKind(sample)).toEqual({ kind: 'other', mimeType: 'application/octet-stream' })
    }
  })

  it('saves under a name without path separators or control characters', () => {
    expect(safeDownloadName(attachment('g', '../../etc/pass\nwd.pdf'))).toBe('.._.._etc_pass_wd.pdf')
    expect(safeDownloadName(attachment('0123456789', '  '))).toBe('Attachment 01234567')
  })
})
