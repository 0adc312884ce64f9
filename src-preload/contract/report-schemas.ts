import './zod-setup'
import { z } from 'zod'
import { wellFormedText } from './text'
import { utf8ByteLength } from './utf8-length'
import {
  MAX_ATTACHMENT_FILE_NAME_CHARS,
  MAX_REPORT_ATTACHMENT_BYTES,
  MAX_REPORT_TEXT_BYTES,
} from './report-limits'

export * from './report-limits'

/**
 * What the editor submits: a report, and the files (PDF / DICOM SR) that go with it. The page checks
 * these before it asks; main parses them again (it trusts no renderer), the outbox a third time with
 * the client's own rules, and checks an attachment's bytes against its declared type by content.
 * Messages name the rule and the limit, never the text.
 */
export const REPORT_STATUSES = ['preliminary', 'final'] as const
export const REPORT_ATTACHMENT_TYPES = ['application/pdf', 'application/dicom'] as const

export const ReportStatusSchema = z.enum(REPORT_STATUSES, {
  error: 'reportStatus must be preliminary or final',
})
export type ReportStatus = z.infer<typeof ReportStatusSchema>

/**
 * A stable ASCII token the page mints once per press of Submit (a UUID), so a double click, or a retry
 * of an IPC call that timed out, queues the report once: the outbox returns the entry already queued
 * under it. It is also the report's first Idempotency-Key on the wire, hence QUBS's rule.
 */
export const SubmissionKeySchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, {
  error: 'submissionKey must be 1–128 printable ASCII characters without spaces',
})

const clinicianText = (what: string, max: number) =>
  wellFormedText(what).refine((value) => value.length <= max, {
    error: `${what} must be at most ${max} characters`,
  })

/**
 * The clinician profile from settings, as the report is stamped with it. An empty field is "not given"
 * (settings' default) and is left out of what is sent; the API takes each field as optional.
 */
export const ReportClinicianSchema = z.object({
  name: clinicianText('clinician name', 255),
  providerNumber: clinicianText('clinician provider number', 255),
  email: z.union([z.literal(''), z.email({ error: 'clinician email must be an e-mail address' }).max(320)]),
})
export type ReportClinician = z.infer<typeof ReportClinicianSchema>

export const NewReportSchema = z
  .object({
    // The one text rule (text.ts): refused if it cannot be UTF-8, the leading BOM dropped, nothing
    // else changed — not even trimmed, so what is sent is what the person wrote.
    reportText: wellFormedText('reportText')
      .refine((text) => text.trim().length > 0, { error: 'the report is empty' })
      .refine((text) => utf8ByteLength(text) <= MAX_REPORT_TEXT_BYTES, {
        error: `the report is too long: QUBS takes at most ${MAX_REPORT_TEXT_BYTES} bytes of UTF-8 (2 MiB)`,
      }),
    reportStatus: ReportStatusSchema,
    clinician: ReportClinicianSchema,
    /** When the person pressed Submit (not when it is sent): ISO 8601 with Z or an offset. */
    reportedAtUtc: z.iso.datetime({ offset: true, error: 'reportedAtUtc must be an ISO 8601 date-time' }),
    submissionKey: SubmissionKeySchema.optional(),
  })
  .superRefine((report, context) => {
    // A final is the signed report: it must say who signed it (a preliminary may follow without).
    if (report.reportStatus !== 'final') return
    for (const field of ['name', 'providerNumber'] as const) {
      if (report.clinician[field].trim().length === 0) {
        context.addIssue({
          code: 'custom',
          path: ['clinician', field],
          message: `a final report needs the clinician's ${field === 'name' ? 'name' : 'provider number'} (Settings → Clinician)`,
        })
      }
    }
  })
export type NewReport = z.input<typeof NewReportSchema>

export const ReportAttachmentTypeSchema = z.enum(REPORT_ATTACHMENT_TYPES, {
  error: 'an attachment must be application/pdf or application/dicom',
})
export type ReportAttachmentType = z.infer<typeof ReportAttachmentTypeSchema>

export const NewReportAttachmentSchema = z.object({
  fileName: wellFormedText('fileName')
    .refine((name) => name.trim().length > 0, { error: 'the file name must not be blank' })
    // Counted in UTF-16 units, as the client counts (the stricter of the usual server-side counts).
    .refine((name) => name.length <= MAX_ATTACHMENT_FILE_NAME_CHARS, {
      error: `the file name must be at most ${MAX_ATTACHMENT_FILE_NAME_CHARS} characters`,
    }),
  contentType: ReportAttachmentTypeSchema,
  bytes: z
    .instanceof(Uint8Array, { error: 'the file content must be binary data' })
    .refine((bytes) => bytes.byteLength > 0, { error: 'the file is empty' })
    .refine((bytes) => bytes.byteLength <= MAX_REPORT_ATTACHMENT_BYTES, {
      error: `the file is too large: QUBS takes at most ${MAX_REPORT_ATTACHMENT_BYTES} bytes per file`,
    }),
  submissionKey: SubmissionKeySchema.optional(),
})
export type NewReportAttachment = z.input<typeof NewReportAttachmentSchema>
