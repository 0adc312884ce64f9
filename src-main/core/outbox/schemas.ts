import { z } from 'zod'
import { DomainSchema } from '../api/settings'
import * as api from '../api/validation'

/**
 * Every shape the outbox accepts from callers or reads back from disk. Submissions are validated at
 * enqueue (so a payload QUBS would reject for its shape is refused before it is frozen), and every row
 * read from SQLite is parsed again here: a disk or a bug can corrupt a row, and a corrupt row must be
 * reported, never trusted.
 */

export const EntryKindSchema = z.enum(['report', 'comment', 'report-attachment'])
export type EntryKind = z.infer<typeof EntryKindSchema>

export const EntryStateSchema = z.enum(['queued', 'sending', 'delivered', 'held'])
export type EntryState = z.infer<typeof EntryStateSchema>

/**
 * Why an entry waits for a person. Each one is a definitive answer that resending the same bytes with
 * the same key cannot change (or, for `too-old`, a resend that would no longer be safe).
 */
export const HeldReasonSchema = z.enum([
  /** 400/413/422: QUBS refused the payload itself. */
  'invalid',
  /** 404: the appointment is gone or no longer PENDING REPORTING. */
  'not-pending',
  /** 409: the key was used with another payload. */
  'conflict',
  /** 403: the domain or site is outside what the credentials may touch. */
  'forbidden',
  /** Any other 4xx: a definitive refusal we have no more specific name for. */
  'rejected',
  /** An earlier attempt may have been applied more than ~23 h ago; the server forgot the key since. */
  'too-old',
  /** The upload URL kept being refused, or the file was too large for it. */
  'upload-rejected',
  /** The row could not be decrypted or parsed back from disk. */
  'unreadable',
  /** The entry was written for another QUBS connection (or before entries were bound to one). */
  'connection-changed',
])
export type HeldReason = z.infer<typeof HeldReasonSchema>

const utcDateTime = z.iso.datetime({ offset: false })

/*
 * What may be enqueued is exactly what the QUBS client accepts (core/api/validation.ts): one set of
 * rules, so the outbox never freezes a payload the client would refuse to send.
 */
export const ReportSubmissionSchema = api.ReportSubmissionSchema
export type ReportSubmission = api.ReportSubmissionInput

/**
 * Where an entry goes: the same rules the client applies to the domain and to an id in a path, so an
 * entry the client would refuse (a blank appointment id, say) is refused at enqueue, not held later.
 */
export const EnqueueTargetSchema = z.object({
  domain: DomainSchema,
  appointmentId: api.PathIdSchema('appointmentId'),
})

/** The frozen report payload: `reportedAtUtc` is always present once enqueued. */
export const FrozenReportSchema = api.ReportSubmissionSchema.extend({ reportedAtUtc: utcDateTime })
export type FrozenReport = z.infer<typeof FrozenReportSchema>
/**
 * What enqueue adds to a submission already parsed with `ReportSubmissionSchema`: checking only the
 * stamped time, rather than the whole 10 KB payload a second time, gives the same frozen report.
 */
export const FrozenReportTimeSchema = FrozenReportSchema.pick({ reportedAtUtc: true })

export const CommentSubmissionSchema = api.CommentInputSchema
export type CommentSubmission = api.CommentInput

/** The frozen comment payload: `commentDateTime` (when it was written, UTC) is set at enqueue. */
export const FrozenCommentSchema = api.CommentInputSchema.extend({ commentDateTime: utcDateTime })
export type FrozenComment = z.infer<typeof FrozenCommentSchema>
/** The comment's stamped time alone (the rest was parsed with `CommentSubmissionSchema`). */
export const FrozenCommentTimeSchema = FrozenCommentSchema.pick({ commentDateTime: true })

export const AttachmentContentTypeSchema = api.ReportAttachmentContentTypeSchema

export const ReportAttachmentSubmissionSchema = z.object({
  fileName: api.ReportAttachmentItemSchema.shape.fileName.refine((name) => name.trim().length > 0, {
    error: 'fileName must not be blank',
  }),
  contentType: AttachmentContentTypeSchema,
  bytes: api.UploadBytesSchema,
})
export type ReportAttachmentSubmission = z.input<typeof ReportAttachmentSubmissionSchema>

/** The attachment's metadata as frozen (the bytes live in their own encrypted column). */
export const FrozenAttachmentMetaSchema = ReportAttachmentSubmissionSchema.omit({ bytes: true })
export type FrozenAttachmentMeta = z.infer<typeof FrozenAttachmentMetaSchema>

/** The PHI-free description of the last failure: what support needs to find the request, no text. */
export const LastErrorSchema = z.object({
  code: z.string(),
  status: z.number().int().optional(),
  title: z.string().optional(),
  requestId: z.string().optional(),
  correlationId: z.string().optional(),
  at: z.number().int(),
})
export type LastError = z.infer<typeof LastErrorSchema>

/** What QUBS gave back on success; ids only. */
export const DeliveryResultSchema = z.object({
  reportGuid: z.string().optional(),
  commentGuid: z.string().optional(),
  attachmentGuid: z.string().optional(),
  /** QUBS applied it (2xx) but its answer could not be read: delivered, receipt unknown. */
  answerUnreadable: z.literal(true).optional(),
})
export type DeliveryResult = z.infer<typeof DeliveryResultSchema>

const idText = z.string().min(1).max(512)

/** The PHI-free view of an entry that the UI, the CLI and the logs may see. */
export const OutboxEntrySummarySchema = z.object({
  id: z.string().min(1),
  kind: EntryKindSchema,
  domain: idText,
  appointmentId: idText,
  idempotencyKey: z.string().min(1).max(128),
  state: EntryStateSchema,
  /** For reports: preliminary or final, so the person can tell entries apart without their text. */
  reportStatus: z.enum(['preliminary', 'final']).nullable(),
  attempts: z.number().int().nonnegative(),
  lastError: LastErrorSchema.nullable(),
  heldReason: HeldReasonSchema.nullable(),
  /** Facts for the person about a hold (times, counts, the id of the entry it waits behind). */
  heldDetail: z.string().nullable(),
  /** True when an earlier entry of the same appointment is held: this one waits behind it. */
  blockedByHeld: z.boolean(),
  nextAttemptAt: z.number().int().nullable(),
  result: DeliveryResultSchema.nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  deliveredAt: z.number().int().nullable(),
  exportedAt: z.number().int().nullable(),
  discardedAt: z.number().int().nullable(),
  /** True once the PHI columns were purged (delivered and past retention, or discarded). */
  purged: z.boolean(),
})
export type OutboxEntrySummary = z.infer<typeof OutboxEntrySummarySchema>

/** The plaintext payload of an entry, decrypted for sending or export. */
export type EntryPayload =
  | { readonly kind: 'report'; readonly report: FrozenReport }
  | { readonly kind: 'comment'; readonly comment: CommentSubmission }
  | {
      readonly kind: 'report-attachment'
      readonly attachment: FrozenAttachmentMeta
      readonly bytes: Uint8Array
    }

/** An attempt as recorded in the attempts table: no PHI, only times, outcomes and ids. */
export const AttemptOutcomeSchema = z.enum([
  /** Recorded before the request; still this value after a crash. */
  'started',
  'delivered',
  /** A step of a multi-step delivery (the upload URL) succeeded. */
  'step-ok',
  'retry',
  'held',
  /** The process stopped (shutdown or crash) while this attempt was in flight. */
  'interrupted',
])
export type AttemptOutcome = z.infer<typeof AttemptOutcomeSchema>

/** `upload-check`: asking QUBS whether an attachment's content already arrived (a read, no key). */
export const AttemptStepSchema = z.enum(['report', 'comment', 'upload-url', 'upload', 'upload-check'])
export type AttemptStep = z.infer<typeof AttemptStepSchema>

export const AttemptRecordSchema = z.object({
  id: z.number().int(),
  entryId: z.string(),
  step: AttemptStepSchema,
  idempotencyKey: z.string().nullable(),
  startedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  outcome: AttemptOutcomeSchema,
  mayHaveCommitted: z.boolean(),
  status: z.number().int().nullable(),
  code: z.string().nullable(),
  requestId: z.string().nullable(),
  correlationId: z.string().nullable(),
})
export type AttemptRecord = z.infer<typeof AttemptRecordSchema>

/** A row that could not be parsed or decrypted: reported with what can still be read, never dropped. */
export interface CorruptEntryReport {
  readonly rowId: number
  readonly id: string | null
  readonly domain: string | null
  readonly appointmentId: string | null
  /** A code: `row-shape`, `payload-decrypt`, `payload-shape`. */
  readonly problem: string
}
