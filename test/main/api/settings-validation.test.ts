import { describe, expect, it } from 'vitest'
import { QubsError } from '../../../src-main/core/api/errors'
import {
  ConnectionSettingsSchema,
  CommentInputSchema,
  IdempotencyKeySchema,
  ReportAttachmentItemsSchema,
  ReportAttachmentUploadInputSchema,
  ReportSubmissionSchema,
  parseConnectionSettings,
  validateInput,
} from '../../../src-main/core/api'
import { readClientSecret } from '../../../src-main/core/api/settings'
import { MemoryVault } from '../../../src-main/core/vault/vault'

const good = {
  tokenUrl: 'https://authenticate.qubs.io/oauth2/token',
  apiBaseUrl: 'https://partners.qubs.io/',
  clientId: 'partner-1',
  domains: ['acme'],
}

function validationIssues(run: () => unknown): Record<string, readonly string[]> {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(QubsError)
    expect((error as QubsError).kind).toBe('validation')
    return (error as QubsError).issues
  }
  throw new Error('expected a validation error')
}

describe('connection settings', () => {
  it('accepts https URLs and strips the trailing slash of the API base', () => {
    const settings = parseConnectionSettings(good)
    expect(settings.apiBaseUrl).toBe('https://partners.qubs.io')
    expect(Object.keys(settings)).not.toContain('clientSecret')
  })

  it('allows plain http only on loopback', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:3000', '[::1]:9000', '127.4.5.6']) {
      expect(
        ConnectionSettingsSchema.safeParse({
          ...good,
          tokenUrl: `http://${host}/t`,
          apiBaseUrl: `http://${host}`,
        }).success,
        host,
      ).toBe(true)
    }
    for (const url of [
      'http://partners.qubs.io',
      'http://10.0.0.2',
      'ftp://127.0.0.1',
      'not a url',
      'https://user:pw@host',
    ]) {
      const issues = validationIssues(() => parseConnectionSettings({ ...good, apiBaseUrl: url }))
      expect(Object.keys(issues), url).toEqual(['apiBaseUrl'])
      expect(JSON.stringify(issues)).not.toContain(url)
    }
  })

  it('needs a client id and at least one distinct, path-safe domain', () => {
    expect(Object.keys(validationIssues(() => parseConnectionSettings({ ...good, domains: [] })))).toEqual([
      'domains',
    ])
    expect(
      Object.keys(validationIssues(() => parseConnectionSettings({ ...good, domains: ['a', 'a'] }))),
    ).toEqual(['domains'])
    expect(
      Object.keys(validationIssues(() => parseConnectionSettings({ ...good, domains: ['a/b'] }))),
    ).toEqual(['domains.0'])
    expect(Object.keys(validationIssues(() => parseConnectionSettings({ ...good, clientId: ' ' })))).toEqual([
      'clientId',
    ])
  })

  it('reads the secret from the vault and reports a missing one without a value', async () => {
    const vault = new MemoryVault()
    const missing = await readClientSecret(vault).catch((e: unknown) => e)
    expect(missing).toMatchObject({
      kind: 'validation',
      issues: { clientSecret: ['is not stored in the vault'] },
    })
    await vault.setSecret('qubs.clientSecret', 'shh-123')
    await expect(readClientSecret(vault)).resolves.toBe('shh-123')
  })
})

describe('input validation (reused by CLI and IPC)', () => {
  const report = {
    reportText: 'No acute abnormality.',
    reportStatus: 'Preliminary',
    reportedAtUtc: '2025-01-10T03:04:05Z',
  }

  it('normalises the report status to lower case, case-insensitively', () => {
    expect(validateInput(ReportSubmissionSchema, report).reportStatus).toBe('preliminary')
    expect(validateInput(ReportSubmissionSchema, { ...report, reportStatus: ' FINAL ' }).reportStatus).toBe(
      'final',
    )
    expect(
      Object.keys(
        validationIssues(() => validateInput(ReportSubmissionSchema, { ...report, reportStatus: 'draft' })),
      ),
    ).toEqual(['reportStatus'])
  })

  it('rejects blank or over-long report text by UTF-8 bytes, never echoing the text', () => {
    expect(
      Object.keys(
        validationIssues(() => validateInput(ReportSubmissionSchema, { ...report, reportText: ' \n\t ' })),
      ),
    ).toEqual(['reportText'])
    // 2 097 152 bytes exactly is fine; one 3-byte character more is not, though it is far fewer characters.
    const atLimit = 'a'.repeat(2_097_152)
    expect(validateInput(ReportSubmissionSchema, { ...report, reportText: atLimit }).reportText).toHaveLength(
      2_097_152,
    )
    const euro = '€'.repeat(699_051) // 2 097 153 bytes, 699 051 characters
    const issues = validationIssues(() =>
      validateInput(ReportSubmissionSchema, { ...report, reportText: euro }),
    )
    expect(Object.keys(issues)).toEqual(['reportText'])
    expect(JSON.stringify(issues)).not.toContain('€')
  })

  it('checks e-mail shape and ISO date-times without quoting them', () => {
    const issues = validationIssues(() =>
      validateInput(ReportSubmissionSchema, {
        ...report,
        interpretingClinicianEmail: 'dr.smith-at-example',
        reportedAtUtc: '10/01/2025 03:04',
      }),
    )
    expect(Object.keys(issues).sort()).toEqual(['interpretingClinicianEmail', 'reportedAtUtc'])
    expect(JSON.stringify(issues)).not.toMatch(/dr\.smith|10\/01/)
    expect(
      validateInput(ReportSubmissionSchema, { ...report, interpretingClinicianEmail: 'dr.smith@example.com' })
        .interpretingClinicianEmail,
    ).toBe('dr.smith@example.com')
  })

  it('rejects unknown report fields rather than sending them', () => {
    expect(
      Object.keys(
        validationIssues(() => validateInput(ReportSubmissionSchema, { ...report, patientName: 'x' })),
      ),
    ).toHaveLength(1)
  })

  it('validates comments: text not blank, type AC/AA/PC/PA', () => {
    expect(
      validateInput(CommentInputSchema, { commentText: 'Called referrer.', commentType: 'aa' }).commentType,
    ).toBe('AA')
    expect(
      Object.keys(validationIssues(() => validateInput(CommentInputSchema, { commentText: '   ' }))),
    ).toEqual(['commentText'])
    expect(
      Object.keys(
        validationIssues(() => validateInput(CommentInputSchema, { commentText: 'x', commentType: 'ZZ' })),
      ),
    ).toEqual(['commentType'])
  })

  it('validates upload item lists: 1–20 items, names ≤ 255 characters, PDF or DICOM', () => {
    const item = { fileName: 'report.pdf', contentType: 'application/pdf' }
    expect(validateInput(ReportAttachmentItemsSchema, Array(20).fill(item), 'items')).toHaveLength(20)
    expect(
      Object.keys(
        validationIssues(() => validateInput(ReportAttachmentItemsSchema, Array(21).fill(item), 'items')),
      ),
    ).toEqual(['items'])
    expect(
      Object.keys(validationIssues(() => validateInput(ReportAttachmentItemsSchema, [], 'items'))),
    ).toEqual(['items'])
    expect(validateInput(ReportAttachmentItemsSchema, [{ fileName: 'é'.repeat(255) }], 'items')).toHaveLength(
      1,
    )
    expect(
      Object.keys(
        validationIssues(() =>
          validateInput(ReportAttachmentItemsSchema, [item, { fileName: 'x'.repeat(256) }], 'items'),
        ),
      ),
    ).toEqual(['items.1.fileName'])
    expect(
      Object.keys(
        validationIssues(() =>
          validateInput(
            ReportAttachmentItemsSchema,
            [{ fileName: 'a.png', contentType: 'image/png' }],
            'items',
          ),
        ),
      ),
    ).toEqual(['items.0.contentType'])
  })

  it('limits an upload to 2 MB of PDF or DICOM (2 000 000 bytes: within either reading of "2 MB")', () => {
    const url = 'https://upload.example/x'
    expect(
      validateInput(ReportAttachmentUploadInputSchema, {
        uploadUrl: url,
        bytes: Buffer.alloc(2_000_000),
        contentType: 'application/dicom',
      }).bytes,
    ).toHaveLength(2_000_000)
    expect(
      Object.keys(
        validationIssues(() =>
          validateInput(ReportAttachmentUploadInputSchema, {
            uploadUrl: url,
            bytes: Buffer.alloc(2_000_001),
            contentType: 'application/pdf',
          }),
        ),
      ),
    ).toEqual(['bytes'])
    expect(
      Object.keys(
        validationIssues(() =>
          validateInput(ReportAttachmentUploadInputSchema, {
            uploadUrl: url,
            bytes: Buffer.alloc(10),
            contentType: 'text/plain',
          }),
        ),
      ),
    ).toEqual(['contentType'])
  })

  it('accepts ASCII idempotency keys up to 128 characters', () => {
    expect(validateInput(IdempotencyKeySchema, 'cd4a859c7a1f4b44b765a8fe17bb44c1')).toBe(
      'cd4a859c7a1f4b44b765a8fe17bb44c1',
    )
    expect(validateInput(IdempotencyKeySchema, 'k'.repeat(128))).toHaveLength(128)
    for (const bad of ['k'.repeat(129), '', 'clé-ü', 'has space', 'tab\tkey']) {
      expect(
        Object.keys(validationIssues(() => validateInput(IdempotencyKeySchema, bad, 'idempotencyKey'))),
        bad,
      ).toEqual(['idempotencyKey'])
    }
  })
})
