// No './zod-setup' here: the core and the CLI use this rule too, and must not inherit the page's
// eval-free (slower) zod mode; the contract's channels set it up wherever the page loads.
import { z } from 'zod'

/**
 * The one rule for text that enters the app (report and comment text from a file, a flag, IPC or a
 * form): it is never silently changed. Bytes that are not valid UTF-8 are refused, never replaced by
 * U+FFFD (a Windows-1252 "38°C" would otherwise reach QUBS as "38\uFFFDC"); a string with a lone
 * surrogate cannot be encoded as UTF-8 and is refused too. The only change made is dropping the
 * leading byte-order mark, which editors add and which is not part of the text. The rule is applied at
 * every layer (the CLI or the page, the core's validation, the outbox re-reading a frozen entry, the
 * client before sending), so it must be idempotent: a run of leading BOMs is dropped as a whole, never
 * one per pass, or the second pass would send other bytes than were frozen with the idempotency key.
 * Messages name the rule and a byte offset, never the content.
 */
export const BYTE_ORDER_MARK = '\uFEFF'

export type DecodedText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly offset: number; readonly message: string }

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Decodes bytes as UTF-8 without replacement, dropping the leading BOM. */
export function decodeUtf8Text(bytes: Uint8Array): DecodedText {
  let decoded: string
  try {
    decoded = strictDecoder.decode(bytes)
  } catch {
    const offset = firstInvalidUtf8Offset(bytes)
    return { ok: false, offset, message: `is not valid UTF-8 (invalid byte at offset ${offset})` }
  }
  return { ok: true, text: stripByteOrderMark(decoded) }
}

export function stripByteOrderMark(text: string): string {
  let start = 0
  while (text.startsWith(BYTE_ORDER_MARK, start)) start += BYTE_ORDER_MARK.length
  return start === 0 ? text : text.slice(start)
}

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or -1 when there is none. Only called after
 * the fast decoder refused, to say where.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let index = 0
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0
    if (lead < 0x80) {
      index += 1
      continue
    }
    const length = sequenceLength(lead)
    if (length === 0) return index
    const second = bytes[index + 1]
    if (second === undefined || !secondByteFits(lead, second)) return index
    for (let k = 2; k < length; k += 1) {
      const next = bytes[index + k]
      if (next === undefined || (next & 0xc0) !== 0x80) return index
    }
    index += length
  }
  return -1
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}

/** The second byte's range depends on the lead byte (Unicode table 3-7). */
function secondByteFits(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0 && second <= 0xbf
  if (lead === 0xed) return second >= 0x80 && second <= 0x9f
  if (lead === 0xf0) return second >= 0x90 && second <= 0xbf
  if (lead === 0xf4) return second >= 0x80 && second <= 0x8f
  return (second & 0xc0) === 0x80
}

/**
 * Text as a JS string (IPC, a flag, a form field): refused when it holds a lone surrogate, with the
 * leading BOM dropped. `what` names the field in the message.
 */
export const wellFormedText = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .refine((value) => value.isWellFormed(), {
      error: `${what} holds a lone surrogate and cannot be sent as UTF-8`,
    })
    .transform(stripByteOrderMark)
