import { MAX_REPORT_TEXT_BYTES, utf8ByteLength } from '../../../../src-preload/contract'

/**
 * The live byte counter near the report's limit. QUBS counts the report in UTF-8 bytes (2 097 152 at
 * most), not in characters: "é" is one character and two bytes. Counted on input of a report that
 * may be 2 MiB, so the count is the contract's (`encodeInto` in slices into one reused buffer: O(n),
 * nothing that grows with the text) rather than `TextEncoder.encode`, which would copy the whole text
 * each time. About 3 ms for 2 MiB on this machine class: count at most once per animation frame.
 */
export { utf8ByteLength }

export const REPORT_BYTE_LIMIT = MAX_REPORT_TEXT_BYTES
/** From this share of the limit on, the counter is shown (and warns); below it, it stays out of sight. */
export const NEAR_LIMIT_SHARE = 0.9

export interface ReportByteBudget {
  readonly bytes: number
  readonly limit: number
  /** Negative when over the limit. */
  readonly remaining: number
  readonly near: boolean
  readonly over: boolean
}

export function reportByteBudget(text: string, limit: number = REPORT_BYTE_LIMIT): ReportByteBudget {
  const bytes = utf8ByteLength(text)
  return {
    bytes,
    limit,
    remaining: limit - bytes,
    near: bytes >= limit * NEAR_LIMIT_SHARE,
    over: bytes > limit,
  }
}
