/**
 * A ≈2 MB referral PDF for the first-page benchmark: like a scanned referral, its first page is one
 * full-page image (RGB noise, so Flate cannot shrink it: ≈2 MB of image data pdf.js must inflate and
 * paint), followed by two text pages. Deterministic: the same bytes on every run. Stamped as sandbox data.
 */
import { crc32, deflateSync } from 'node:zlib'
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib'
import { seededRandom } from '../../src-main/common/clock'

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** An RGB PNG of seeded noise (filter 0 on every row). */
export function noisePng(width: number, height: number, seed: number): Buffer {
  const random = seededRandom(seed)
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let i = 0; i < raw.length; i += 1) {
    raw[i] = i % (width * 3 + 1) === 0 ? 0 : Math.floor(random.next() * 256)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8 bits, RGB, deflate, filter set 0, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

export async function twoMegabytePdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create()
  const fixed = new Date(Date.UTC(2025, 0, 1))
  document.setCreationDate(fixed)
  document.setModificationDate(fixed)
  document.setProducer('QUBS Reporter bench')
  const font = await document.embedFont(StandardFonts.Helvetica)
  const image = await document.embedPng(noisePng(820, 820, 14))
  const first = document.addPage([595, 842])
  first.drawImage(image, { x: 0, y: 121, width: 595, height: 595 })
  first.drawText('SANDBOX - FAKE DATA - NOT A REAL PATIENT', {
    x: 50,
    y: 800,
    size: 12,
    font,
    color: rgb(0.75, 0.1, 0.1),
  })
  for (const label of ['Second', 'Third']) {
    document
      .addPage([595, 842])
      .drawText(`${label} page of the bench referral`, { x: 50, y: 780, size: 18, font })
  }
  return document.save()
}
