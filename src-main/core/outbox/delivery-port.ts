import { z } from 'zod'
import type { CommentSubmission, FrozenReport } from './schemas'

/**
 * The outbox's narrow view of the QUBS client: the calls that deliver entries, and the reads that tell
 * whether an attachment's content already arrived (its metadata, then its content). `QubsClient`
 * satisfies it structurally; unit tests script a fake. Results are typed `unknown` on purpose: the
 * outbox reads only the ids it needs, through the zod schemas below, so it does not depend on how the
 * client types its answers.
 */
export interface DeliveryRequestOptions {
  readonly idempotencyKey: string
  readonly signal?: AbortSignal
}

export type AttachmentContentType = 'application/pdf' | 'application/dicom'

export interface AttachmentUrlRequestItem {
  readonly fileName: string
  readonly contentType: AttachmentContentType
}

export interface UploadRequest {
  readonly uploadUrl: string
  readonly bytes: Uint8Array
  readonly contentType: AttachmentContentType
  readonly signal?: AbortSignal
}

export interface DeliveryPort {
  submitReport(
    domain: string,
    appointmentId: string,
    input: FrozenReport,
    options: DeliveryRequestOptions,
  ): Promise<unknown>
  createComment(
    domain: string,
    appointmentId: string,
    input: CommentSubmission,
    options: DeliveryRequestOptions,
  ): Promise<unknown>
  createReportAttachmentUrls(
    domain: string,
    appointmentId: string,
    items: AttachmentUrlRequestItem[],
    options: DeliveryRequestOptions,
  ): Promise<unknown>
  uploadReportAttachment(request: UploadRequest): Promise<unknown>
  /**
   * An appointment attachment's metadata. Its `url` is null until the content was uploaded; a 404
   * means QUBS has no such attachment (or the appointment is no longer pending).
   */
  getAttachment(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: AttachmentReadOptions,
  ): Promise<unknown>
  /**
   * The content behind the attachment's presigned URL (fetched without our bearer token). A non-null
   * `url` is no proof of content — the reference does not promise it — so only these bytes are.
   */
  downloadAttachment(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: AttachmentDownloadOptions,
  ): Promise<unknown>
}

export interface AttachmentReadOptions {
  readonly signal?: AbortSignal
}

export interface AttachmentDownloadOptions extends AttachmentReadOptions {
  readonly maxBytes: number
}

/** What a PUT must have answered to count as the upload: a 2xx, nothing else. */
export const UploadAnswerSchema = z.looseObject({ status: z.number().int().min(200).max(299) })
export const DownloadAnswerSchema = z.looseObject({ bytes: z.instanceof(Uint8Array) })
export const ReportAnswerSchema = z.looseObject({ reportGuid: z.string().optional() })
export const CommentAnswerSchema = z.looseObject({ guid: z.string().optional() })
export const AttachmentUrlsAnswerSchema = z.looseObject({
  items: z
    .array(
      z.looseObject({
        guid: z.string().min(1),
        uploadUrl: z.string().min(1),
        // QUBS may send null (the client's schema allows it): treated like an absent expiry.
        uploadUrlExpiresAtUtc: z.string().nullish(),
      }),
    )
    .min(1),
})

/** Only whether the content is there: a non-empty `url` means the upload arrived. */
export const AttachmentPresenceSchema = z.looseObject({ url: z.string().nullish() })
