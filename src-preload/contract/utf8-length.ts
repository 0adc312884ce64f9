/**
 * The UTF-8 length of a JS string, counted from its UTF-16 code units without encoding it: the editor
 * counts a 2 MiB report on every input event, and `new TextEncoder().encode(text).length` would
 * allocate the whole encoding each time. A code unit below U+0080 is 1 byte, below U+0800 is 2, a
 * surrogate pair (one code point above U+FFFF) is 4, any other unit is 3 — a lone surrogate too, as
 * the encoder writes it as U+FFFD (the text rule refuses such text before it is sent). No imports: the
 * page, the preload and the core all use it.
 */
export function utf8ByteLength(text: string): number {
  const length = text.length
  let bytes = length
  for (let index = 0; index < length; index += 1) {
    const unit = text.charCodeAt(index)
    if (unit < 0x80) continue
    if (unit < 0x800) {
      bytes += 1
      continue
    }
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < length) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        // The pair is 2 units and 4 bytes: 2 already counted, 2 more, and skip the low half.
        bytes += 2
        index += 1
        continue
      }
    }
    bytes += 2
  }
  return bytes
}
