import { z } from 'zod'
import { wellFormedText } from '../../../src-preload/contract/text'
import { QubsError } from './errors'
import { issuesFromZod } from './settings'

/**
 * Client-side checks for everything the app sends, applied before a byte leaves the machine. The CLI and
 * the IPC layer reuse these schemas. Every message is our own and names the rule, never the value: the
 * values are report text, e-mail addresses and file names, which must not reach logs or error screens.
 */
export const MAX_REPORT_TEXT_BYTES = 2_097_152
/**
 * The docs say "max object size 2 MB" without saying which megabyte; 2 000 000 bytes is within either
 * reading, so a file we accept is never refused by QUBS for its size.
 */
export const MAX_UPLOAD_BYTES = 2_000_000
export const MAX_UPLOAD_ITEMS = 20
export const MAX_FILE_NAME_CHARS = 255
export const MAX_IDEMPOTENCY_KEY_CHARS = 128
export const REPORT_ATTACHMENT_CONTENT_TYPES = ['application/pdf', 'application/dicom'] as const
export const COMMENT_TYPES = ['AC', 'AA', 'PC', 'PA'] as const

const utf8Bytes = (value: string) => Buffer.byteLength(value, 'utf8')
const notBlank = (value: string) => value.trim().length > 0

/** An ISO 8601 date-time with an offset or Z, as QUBS uses for every UTC field. */
const isoDateTime = (what: string) =>
  z.iso.datetime({ offset: true, error: `${what} must be an ISO 8601 date-time with a time zone` })

/** Printable ASCII without spaces (it travels in a header), 1–128 characters; QUBS recommends a UUID. */
export const IdempotencyKeySchema = z
  .string({ error: 'idempotency key is required' })
  .regex(/^[\x21-\x7e]{1,128}$/, {
    error: `idempotency key must be 1–${MAX_IDEMPOTENCY_KEY_CHARS} printable ASCII characters without spaces`,
  })

export const ReportStatusSchema = z
  .string({ error: 'reportStatus is required' })
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(['preliminary', 'final'], { error: 'reportStatus must be preliminary or final' }))
export type ReportStatus = z.output<typeof ReportStatusSchema>

export const ReportSubmissionSchema = z.strictObject(
  {
    // Well-formed (no lone surrogate), one leading BOM dropped: the rule every entry point shares.
    reportText: wellFormedText('reportText')
      .refine(notBlank, { error: 'reportText must not be blank' })
      .refine((value) => utf8Bytes(value) <= MAX_REPORT_TEXT_BYTES, {
        error: `reportText must be at most ${MAX_REPORT_TEXT_BYTES} bytes in UTF-8`,
      }),
    reportStatus: ReportStatusSchema,
    reportFormat: z
      .string({ error: 'reportFormat must be text' })
      // "Optional report format or MIME type": any short non-blank label, not only a MIME type.
      .refine(notBlank, { error: 'reportFormat must not be blank' })
      .refine((value) => value.length <= 255, { error: 'reportFormat must be at most 255 characters' })
      .optional(),
    interpretingClinicianName: wellFormedText('interpretingClinicianName')
      .refine((value) => value.length <= 255, {
        error: 'interpretingClinicianName must be at most 255 characters',
      })
      .optional(),
    interpretingClinicianProviderNumber: wellFormedText('interpretingClinicianProviderNumber')
      .refine((value) => value.length <= 255, {
        error: 'interpretingClinicianProviderNumber must be at most 255 characters',
      })
      .optional(),
    interpretingClinicianEmail: z
      .email({ error: 'interpretingClinicianEmail must be an e-mail address' })
      .optional(),
    reportedAtUtc: isoDateTime('reportedAtUtc').optional(),
  },
  { error: 'unknown field in report' },
)
export type ReportSubmissionInput = z.input<typeof ReportSubmissionSchema>
export type ReportSubmission = z.output<typeof ReportSubmissionSchema>

export const CommentTypeSchema = z
  .string({ error: 'commentType must be text' })
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.enum(COMMENT_TYPES, { error: 'commentType must be one of AC, AA, PC, PA' }))

export const CommentInputSchema = z.strictObject(
  {
    commentText: wellFormedText('commentText').refine(notBlank, { error: 'commentText must not be blank' }),
    commentType: CommentTypeSchema.optional(),
    isAlert: z.boolean({ error: 'isAlert must be true or false' }).optional(),
    commentDateTime: isoDateTime('commentDateTime').optional(),
  },
  { error: 'unknown field in comment' },
)
export type CommentInput = z.input<typeof CommentInputSchema>
export type CommentSubmission = z.output<typeof CommentInputSchema>

export const ReportAttachmentContentTypeSchema = z.enum(REPORT_ATTACHMENT_CONTENT_TYPES, {
  error: 'contentType must be application/pdf or application/dicom',
})
export type ReportAttachmentContentType = z.output<typeof ReportAttachmentContentTypeSchema>

export const ReportAttachmentItemSchema = z.strictObject(
  {
    fileName: wellFormedText('fileName')
      // Counted in UTF-16 units, the stricter of the usual server-side counts.
      .refine((value) => value.length <= MAX_FILE_NAME_CHARS, {
        error: `fileName must be at most ${MAX_FILE_NAME_CHARS} characters`,
      }),
    contentType: ReportAttachmentContentTypeSchema.optional(),
    category: z
      .string({ error: 'category must be text' })
      .max(64, { error: 'category must be at most 64 characters' })
      .optional(),
  },
  { error: 'unknown field in attachment item' },
)
export type ReportAttachmentItem = z.input<typeof ReportAttachmentItemSchema>

export const ReportAttachmentItemsSchema = z
  .array(ReportAttachmentItemSchema, { error: 'items must be a list' })
  .min(1, { error: 'at least one item is required' })
  .max(MAX_UPLOAD_ITEMS, { error: `at most ${MAX_UPLOAD_ITEMS} items per request` })

/** Bytes as a Buffer or Uint8Array; the size rule is QUBS's single-PUT object limit. */
export const UploadBytesSchema = z
  .instanceof(Uint8Array, { error: 'bytes must be binary data' })
  .refine((bytes) => bytes.byteLength > 0, { error: 'the file is empty' })
  .refine((bytes) => bytes.byteLength <= MAX_UPLOAD_BYTES, {
    error: `the file must be at most ${MAX_UPLOAD_BYTES} bytes`,
  })

/**
 * What a report attachment's bytes must begin with to be what its content type claims: a text file was
 * once delivered as application/pdf. PDF: "%PDF-" at offset 0 (ISO 32000 header). DICOM: a Part 10 file
 * (how DICOM SR travels as a file) has a 128-byte preamble and then "DICM".
 */
const CONTENT_SIGNATURES: Readonly<
  Record<
    ReportAttachmentContentType,
    { readonly offset: number; readonly magic: string; readonly what: string }
  >
> = {
  'application/pdf': { offset: 0, magic: '%PDF-', what: 'a PDF' },
  'application/dicom': { offset: 128, magic: 'DICM', what: 'a DICOM Part 10 file' },
}

/**
 * Null when the bytes carry the signature of their declared type; otherwise the rule they break, naming
 * the expected signature and never quoting the content. The outbox applies it at enqueue, so every way
 * an attachment enters (CLI file, IPC bytes) is checked; callers may apply it earlier for a quick answer.
 */
export function attachmentSignatureProblem(
  contentType: ReportAttachmentContentType,
  bytes: Uint8Array,
): string | null {
  const { offset, magic, what } = CONTENT_SIGNATURES[contentType]
  const found = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
    'latin1',
    offset,
    offset + magic.length,
  )
  if (found === magic) return null
  return `content sent as ${contentType} must be ${what}, starting with "${magic}" at offset ${offset}`
}

/** The pair a caller has before enqueueing: the declared type and the bytes, checked against each other. */
export const ReportAttachmentContentSchema = z
  .object({ contentType: ReportAttachmentContentTypeSchema, bytes: UploadBytesSchema })
  .superRefine((value, context) => {
    const problem = attachmentSignatureProblem(value.contentType, value.bytes)
    if (problem !== null) context.addIssue({ code: 'custom', path: ['bytes'], message: problem })
  })

export const ReportAttachmentUploadInputSchema = z.object({
  uploadUrl: z.string({ error: 'uploadUrl is required' }).min(1, { error: 'uploadUrl is required' }),
  bytes: UploadBytesSchema,
  contentType: ReportAttachmentContentTypeSchema,
})

export const PageSizeSchema = z
  .number({ error: 'pageSize must be a number' })
  .int({ error: 'pageSize must be a whole number' })
  .min(1, { error: 'pageSize must be 1–500' })
  .max(500, { error: 'pageSize must be 1–500' })

/** The server's opaque cursor: passed back exactly as received, whatever its length. */
export const NextTokenSchema = z.string({ error: 'nextToken must be text' })

export const UrlTtlSecondsSchema = z
  .number({ error: 'urlTtlSeconds must be a number' })
  .int({ error: 'urlTtlSeconds must be a whole number' })
  .positive({ error: 'urlTtlSeconds must be positive' })

export const DispositionSchema = z.enum(['inline', 'attachment'], {
  error: 'disposition must be inline or attachment',
})

/** An id used as a path segment (appointment id, attachment or comment guid, site name). */
export const PathIdSchema = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .refine(notBlank, { error: `${what} is required` })
    .refine((value) => value.length <= 512, { error: `${what} is too long` })

/**
 * Parses with a schema or throws a QubsError of kind 'validation'. `prefix` namespaces issue paths
 * (e.g. "items.3.fileName").
 */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const raw = issuesFromZod(result.error)
  const issues: Record<string, string[]> = {}
  for (const [path, messages] of Object.entries(raw)) {
    const key = prefix ? (path === '(input)' ? prefix : `${prefix}.${path}`) : path
    issues[key] = [...(issues[key] ?? []), ...messages]
  }
  throw new QubsError({ kind: 'validation', issues })
}
