import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UTF8_COUNT_SLICE_UNITS } from '../../src-preload/contract'
import {
  NEAR_LIMIT_SHARE,
  REPORT_BYTE_LIMIT,
  reportByteBudget,
  utf8ByteLength,
} from '../../src-renderer/src/features/editor/byte-count'

const encoder = new TextEncoder()

describe('editor byte count', () => {
  it('equals TextEncoder’s length for any code points (1-, 2-, 3- and 4-byte ones)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length)
      }),
      { numRuns: 500 },
    )
  })

  it('equals TextEncoder’s length for any UTF-16 units, lone surrogates included (written as U+FFFD)', () => {
    const units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 })
    fc.assert(
      fc.property(units, (codes) => {
        const text = String.fromCharCode(...codes)
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length)
      }),
      { numRuns: 500 },
    )
  })

  it('counts the edges of each UTF-8 length', () => {
    expect(utf8ByteLength('')).toBe(0)
    expect(utf8ByteLength('\u007f')).toBe(1)
    expect(utf8ByteLength('\u0080')).toBe(2)
    expect(utf8ByteLength('\u07ff')).toBe(2)
    expect(utf8ByteLength('\u0800')).toBe(3)
    expect(utf8ByteLength('\uffff')).toBe(3)
    expect(utf8ByteLength('\u{10000}')).toBe(4)
    expect(utf8ByteLength('\u{10ffff}')).toBe(4)
    expect(utf8ByteLength('\ud83d')).toBe(3)
    expect(utf8ByteLength('\ude00\ud83d')).toBe(6)
  })

  it('counts a long text in slices without splitting a surrogate pair at a slice’s end', () => {
    for (const before of [UTF8_COUNT_SLICE_UNITS - 2, UTF8_COUNT_SLICE_UNITS - 1, UTF8_COUNT_SLICE_UNITS]) {
      const text = `${'a'.repeat(before)}😀é${'😀'.repeat(UTF8_COUNT_SLICE_UNITS)}\ud83d`
      expect(utf8ByteLength(text), String(before)).toBe(encoder.encode(text).length)
    }
    fc.assert(
      fc.property(
        fc.string({
          unit: 'binary',
          minLength: UTF8_COUNT_SLICE_UNITS,
          maxLength: UTF8_COUNT_SLICE_UNITS * 2,
        }),
        (text) => {
          expect(utf8ByteLength(text)).toBe(encoder.encode(text).length)
        },
      ),
      { numRuns: 30 },
    )
  })

  it('says near from 90% of the limit and over only past it', () => {
    const near = Math.ceil(REPORT_BYTE_LIMIT * NEAR_LIMIT_SHARE)
    expect(reportByteBudget('a'.repeat(near - 1))).toMatchObject({ near: false, over: false })
    expect(reportByteBudget('é'.repeat(REPORT_BYTE_LIMIT / 2))).toMatchObject({
      bytes: REPORT_BYTE_LIMIT,
      remaining: 0,
      near: true,
      over: false,
    })
    expect(reportByteBudget(`${'é'.repeat(REPORT_BYTE_LIMIT / 2)}a`)).toMatchObject({
      remaining: -1,
      over: true,
    })
  })
})
