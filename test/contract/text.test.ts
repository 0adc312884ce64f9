import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CommentInputSchema, ReportSubmissionSchema } from '../../src-main/core/api/validation'
import { NewCommentSchema } from '../../src-preload/contract/reporting-schemas'
import { decodeUtf8Text, firstInvalidUtf8Offset, wellFormedText } from '../../src-preload/contract/text'

/** The one rule for incoming text: never silently changed, only one leading BOM dropped. */
describe('incoming text rule', () => {
  it('refuses Windows-1252 bytes and names the offset of the first bad byte, not the text', () => {
    const latin1 = Buffer.from('38°C, 5 µm', 'latin1')
    const decoded = decodeUtf8Text(latin1)
    expect(decoded).toEqual({ ok: false, offset: 2, message: expect.stringContaining('offset 2') })
    expect(JSON.stringify(decoded)).not.toContain('38')
  })

  it('drops the leading BOM and keeps the rest as it is', () => {
    expect(decodeUtf8Text(Buffer.from('\uFEFF38°C', 'utf8'))).toEqual({ ok: true, text: '38°C' })
    expect(decodeUtf8Text(Buffer.from('a\uFEFFb', 'utf8'))).toEqual({ ok: true, text: 'a\uFEFFb' })
  })

  it('is idempotent, because every layer (CLI, outbox re-read, client) applies it again', () => {
    // A rule that changed text on a second pass would send other bytes than were frozen at enqueue.
    const schema = wellFormedText('note')
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('\uFEFF', 'a', ' ', '°', '\n')).map((parts) => parts.join('')),
        (text) => {
          const once = schema.parse(text)
          expect(schema.parse(once)).toBe(once)
          const decoded = decodeUtf8Text(Buffer.from(text, 'utf8'))
          expect(decoded.ok && schema.parse(decoded.text)).toBe(decoded.ok && decoded.text)
        },
      ),
    )
    expect(
      ReportSubmissionSchema.parse(
        ReportSubmissionSchema.parse({ reportText: '\uFEFF\uFEFFx', reportStatus: 'final' }),
      ),
    ).toEqual(ReportSubmissionSchema.parse({ reportText: '\uFEFF\uFEFFx', reportStatus: 'final' }))
  })

  it.each([
    ['overlong slash', [0x61, 0xc0, 0xaf], 1],
    ['encoded surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['truncated sequence', [0x61, 0xe2, 0x82], 1],
    ['stray continuation', [0x80], 0],
  ])('refuses %s', (_name, bytes, offset) => {
    expect(decodeUtf8Text(Uint8Array.from(bytes))).toMatchObject({ ok: false, offset })
  })

  it('agrees with the platform decoder on where the first bad byte is', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const offset = firstInvalidUtf8Offset(bytes)
        let valid = true
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes)
        } catch {
          valid = false
        }
        expect(offset === -1).toBe(valid)
        if (offset > 0) new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, offset))
      }),
    )
  })

  it('refuses a JS string with a lone surrogate and drops a leading U+FEFF', () => {
    const schema = wellFormedText('note')
    expect(schema.safeParse('ok \uD83D').success).toBe(false)
    expect(schema.parse('\uFEFFfine 😀')).toBe('fine 😀')
  })

  it('applies to report and comment text in the core validation', () => {
    expect(ReportSubmissionSchema.safeParse({ reportText: 'x \uDC00', reportStatus: 'final' }).success).toBe(
      false,
    )
    expect(
      ReportSubmissionSchema.parse({ reportText: '\uFEFFNormal.', reportStatus: 'final' }).reportText,
    ).toBe('Normal.')
    expect(CommentInputSchema.safeParse({ commentText: '\uD800' }).success).toBe(false)
    expect(CommentInputSchema.parse({ commentText: '\uFEFFCalled.' }).commentText).toBe('Called.')
    expect(
      ReportSubmissionSchema.safeParse({
        reportText: 'Normal.',
        reportStatus: 'final',
        interpretingClinicianName: 'Dr M\uD800ller',
      }).success,
    ).toBe(false)
    // A BOM alone is blank once dropped.
    expect(CommentInputSchema.safeParse({ commentText: '\uFEFF' }).success).toBe(false)
  })

  it('applies to comment text arriving over IPC, which is otherwise kept exactly as written', () => {
    expect(NewCommentSchema.safeParse({ commentText: 'x \uDC00', isAlert: false }).success).toBe(false)
    expect(NewCommentSchema.parse({ commentText: '\uFEFF  Called ward.\n', isAlert: true }).commentText).toBe(
      '  Called ward.\n',
    )
    expect(NewCommentSchema.safeParse({ commentText: ' \n\t', isAlert: false }).success).toBe(false)
  })
})
