/**
 * The QUBS API client: the only module that talks to QUBS. Import from here, not from the files.
 */
export { QubsError, type QubsErrorInit, type QubsErrorKind } from './errors'
export { isAnswerUnreadable, type AnswerUnreadable } from './applied-answer'
export {
  QubsClient,
  type AttachmentUrlOptions,
  type CallOptions,
  type ConnectionCheck,
  type DownloadAttachmentOptions,
  type DownloadedAttachment,
  type PendingPageOptions,
  type PostOptions,
  type QubsClientOptions,
  type WalkPendingOptions,
} from './qubs-client'
export {
  API_PATH_PREFIX,
  CLIENT_SECRET_NAME,
  ConnectionSettingsSchema,
  DomainSchema,
  isLoopbackHost,
  isSecureUrl,
  parseConnectionSettings,
  type ConnectionSettings,
  type ConnectionSettingsInput,
} from './settings'
export {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  decideRetry,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicyOptions,
} from './retry-policy'
export { DEFAULT_TIMEOUTS, type Timeouts } from './transport'
export { walkPendingPages, type FetchPendingPage, type PendingPage } from './pending-walk'
export { AttachmentWithoutContentError, type DownloadMeta } from './attachment-download'
export type { UploadReportAttachmentInput, UploadResult } from './report-upload'
export * from './schemas'
export * from './validation'
