/**
 * What the viewer can do with a file, judged from its first bytes — never from its name or from the
 * type a server claimed: a referral called `scan.pdf` that is really a TIFF must be offered for
 * saving, not handed to pdf.js, and an `.exe` renamed `.png` must not become an <img>.
 */
export type ContentKind =
  | { readonly kind: 'pdf'; readonly mimeType: 'application/pdf' }
  | { readonly kind: 'image'; readonly mimeType: ImageMimeType }
  | { readonly kind: 'other'; readonly mimeType: 'application/octet-stream' }

/** The image formats every Chromium (Electron's too) shows natively in an <img>. */
export type ImageMimeType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/bmp'

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.byteLength >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b)

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0))

const IMAGE_SIGNATURES: readonly {
  readonly mimeType: ImageMimeType
  readonly test: (b: Uint8Array) => boolean
}[] = [
  { mimeType: 'image/png', test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mimeType: 'image/jpeg', test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { mimeType: 'image/gif', test: (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')) },
  { mimeType: 'image/webp', test: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) },
  { mimeType: 'image/bmp', test: (b) => startsWith(b, ascii('BM')) && b.byteLength > 26 },
]

/** PDF readers accept the header anywhere in the first KiB (some scanners prepend junk). */
const PDF_HEADER_WINDOW = 1024
const PDF_HEADER = ascii('%PDF-')

function hasPdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.byteLength, PDF_HEADER_WINDOW) - PDF_HEADER.length
  for (let offset = 0; offset <= end; offset++) {
    if (startsWith(bytes, PDF_HEADER, offset)) return true
  }
  return false
}

export function detectContentKind(bytes: Uint8Array): ContentKind {
  if (hasPdfHeader(bytes)) return { kind: 'pdf', mimeType: 'application/pdf' }
  const image = IMAGE_SIGNATURES.find((signature) => signature.test(bytes))
  if (image) return { kind: 'image', mimeType: image.mimeType }
  return { kind: 'other', mimeType: 'application/octet-stream' }
}
