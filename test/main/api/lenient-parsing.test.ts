import { describe, expect, it } from 'vitest'
import { problemToError } from '../../../src-main/core/api/problem'
import {
  NextTokenSchema,
  ReportAttachmentItemSchema,
  ReportSubmissionSchema,
  validateInput,
} from '../../../src-main/core/api/validation'

/**
 * What the docs leave open is read leniently, and nothing the docs do not state is enforced on the
 * client: a real QUBS that follows the documents must never be refused by our own validation.
 */
describe('lenient reading of what the documents leave open', () => {
  it('keeps the requestId and title of a problem whose errors field has an unexpected shape', () => {
    const error = problemToError({
      status: 400,
      headers: {},
      bodyText: JSON.stringify({
        title: 'Bad Request',
        status: 400,
        requestId: 'req-42',
        errors: ['reportText'],
      }),
      correlationId: 'corr-1',
    })
    expect(error).toMatchObject({
      status: 400,
      title: 'Bad Request',
      requestId: 'req-42',
      correlationId: 'corr-1',
    })
  })

  it('passes a server cursor back whatever its length', () => {
    const cursor = 'x'.repeat(20_000)
    expect(validateInput(NextTokenSchema, cursor)).toBe(cursor)
  })

  it('accepts a report format that is not a MIME type ("report format or MIME type")', () => {
    const report = validateInput(ReportSubmissionSchema, {
      reportText: 'Findings.',
      reportStatus: 'FINAL',
      reportFormat: 'plain',
    })
    expect(report).toMatchObject({ reportStatus: 'final', reportFormat: 'plain' })
  })

  it('counts file names in UTF-16 units, the stricter count', () => {
    const emoji = '\u{1F4C4}'
    expect(() => validateInput(ReportAttachmentItemSchema, { fileName: `${emoji.repeat(127)}.p` })).toThrow()
    expect(
      validateInput(ReportAttachmentItemSchema, { fileName: `${emoji.repeat(125)}.pdf` }).fileName,
    ).toHaveLength(254)
  })
})
