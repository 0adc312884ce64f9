/**
 * The durable outbox (design §2): what the person submitted, frozen with its idempotency key, on disk
 * until QUBS answers definitively. The UI and the CLI use `Outbox`; the sync engine uses
 * `outbox.delivery` and `EntrySender`.
 */
export { Outbox, type OutboxListFilter, type OutboxOpenOptions, type WorkstationMode } from './outbox'
export type { EnqueueOptions } from './submission-key'
export type { DiscardOptions } from './held-resolution'
export { appointmentKey, orderingLane } from './entry-row'
export { OutboxError, type OutboxChange, type OutboxChangeType } from './context'
export { OutboxOpenError, SCHEMA_VERSION, type OutboxOpenErrorCode } from './database'
export {
  DeliveryLedger,
  MAX_RETRY_DELAY_MS,
  MIN_RETRY_DELAY_MS,
  UPLOAD_KEY_REUSE_MS,
  type DeliveryTicket,
  type DueHeads,
  type StateCounts,
  type UploadState,
} from './delivery-ledger'
export {
  EntrySender,
  MAX_UPLOAD_KEYS,
  MAX_UPLOAD_URLS,
  RESEND_SAFE_WINDOW_MS,
  type DeliveryProbe,
  type DeliveryProbePoint,
  type EntrySenderOptions,
  type SendOutcome,
} from './entry-sender'
export type {
  AttachmentDownloadOptions,
  AttachmentReadOptions,
  DeliveryPort,
  DeliveryRequestOptions,
  AttachmentUrlRequestItem,
  UploadRequest,
} from './delivery-port'
export { MAX_COMMIT_WINDOW_MS, type CommitGroupPolicy } from './commit-group'
export { RetryPolicy, type RetryPolicyOptions } from './retry-policy'
export { classifyFailure, type FailureDecision } from './classify-failure'
export {
  DEFAULT_METADATA_RETENTION_MS,
  DEFAULT_PHI_RETENTION_MS,
  DAY_MS,
  retentionForDays,
  type PurgeResult,
  type RetentionOptions,
  type RetentionSource,
  type WipeOutcome,
} from './retention'
export type {
  AttemptRecord,
  CommentSubmission,
  CorruptEntryReport,
  DeliveryResult,
  EntryKind,
  EntryState,
  HeldReason,
  LastError,
  OutboxEntrySummary,
  ReportAttachmentSubmission,
  ReportSubmission,
} from './schemas'
export { qubsDeliveryPort } from './qubs-delivery'
