/**
 * The UTF-8 length of a JS string without encoding it whole: the editor counts a 2 MiB report on every
 * input event, and `new TextEncoder().encode(text).length` would allocate the whole encoding (up to
 * 6 MB) each time. The text is encoded in slices into one small buffer that is reused, which is native
 * code (about twice as fast as a JS loop over the UTF-16 units) and allocates nothing that grows with
 * the text. A slice never ends between the two halves of a surrogate pair, which would be counted as
 * two replacement characters (3 + 3 bytes) instead of one 4-byte character. A lone surrogate counts 3
 * bytes, as the encoder writes it as U+FFFD (the text rule refuses such text before it is sent). No
 * imports: the page, the preload and the core all use it.
 */
export const UTF8_COUNT_SLICE_UNITS = 16_384

const encoder = new TextEncoder()
// Each UTF-16 unit is at most 3 bytes of UTF-8 (a pair is 2 units and 4 bytes).
const scratch = new Uint8Array(UTF8_COUNT_SLICE_UNITS * 3)

export function utf8ByteLength(text: string): number {
  const length = text.length
  if (length <= UTF8_COUNT_SLICE_UNITS) return encoder.encodeInto(text, scratch).written
  let bytes = 0
  let start = 0
  while (start < length) {
    let end = Math.min(length, start + UTF8_COUNT_SLICE_UNITS)
    if (end < length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1
    bytes += encoder.encodeInto(text.slice(start, end), scratch).written
    start = end
  }
  return bytes
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff
}
