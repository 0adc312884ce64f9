import { z } from 'zod'
import type { CommentSubmission, FrozenReport } from './schemas'

/**
 * The outbox's narrow view of the QUBS client: the four calls that deliver entries. `QubsClient`
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
}

export const ReportAnswerSchema = z.looseObject({ reportGuid: z.string().optional() })
export const CommentAnswerSchema = z.looseObject({ guid: z.string().optional() })
export const AttachmentUrlsAnswerSchema = z.looseObject({
  items: z
    .array(
      z.looseObject({
        guid: z.string().min(1),
        uploadUrl: z.string().min(1),
        uploadUrlExpiresAtUtc: z.string().optional(),
      }),
    )
    .min(1),
})
