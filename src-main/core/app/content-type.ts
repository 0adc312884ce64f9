/**
 * The content type the renderer is told for an attachment. The bytes decide when they identify
 * themselves (a storage host may well say `application/octet-stream` for a PDF); a header that claims
 * a type the renderer would render (PDF, images) for bytes that are not that type is not believed —
 * such a file is offered for saving, never rendered. Anything else keeps the header's type.
 */
const RENDERED_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'])

export function resolveContentType(header: string | undefined, bytes: Uint8Array): string {
  const sniffed = sniffContentType(bytes)
  if (sniffed) return sniffed
  const declared = header?.split(';')[0]?.trim().toLowerCase() ?? ''
  if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(declared) || declared.length > 255)
    return 'application/octet-stream'
  if (RENDERED_TYPES.has(declared) || declared.startsWith('image/')) return 'application/octet-stream'
  return declared
}

export function sniffContentType(bytes: Uint8Array): string | null {
  const startsWith = (signature: readonly number[], offset = 0) =>
    bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte)
  const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))
  if (startsWith(ascii('%PDF-'))) return 'application/pdf'
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith([0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(ascii('GIF87a')) || startsWith(ascii('GIF89a'))) return 'image/gif'
  if (startsWith(ascii('RIFF')) && startsWith(ascii('WEBP'), 8)) return 'image/webp'
  if (startsWith(ascii('DICM'), 128)) return 'application/dicom'
  if (startsWith([0x49, 0x49, 0x2a, 0x00]) || startsWith([0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff'
  return null
}
