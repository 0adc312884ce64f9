import { orAnswerUnreadable, type AnswerUnreadable } from './applied-answer'
import {
  APPOINTMENTS,
  appointmentPath,
  idempotencyKey,
  pathId,
  type OperationContext,
  type PostOptions,
} from './operation-context'
import {
  ReportAttachmentUrlsSchema,
  ReportReceiptSchema,
  type ReportAttachmentUrls,
  type ReportReceipt,
} from './schemas'
import {
  ReportAttachmentItemsSchema,
  ReportSubmissionSchema,
  validateInput,
  type ReportAttachmentItem,
  type ReportSubmissionInput,
} from './validation'

/**
 * The report of an appointment: submitting its text, and asking for the presigned URLs its attachments
 * are uploaded to (the upload itself is report-upload's).
 */
export function submitReport(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  input: ReportSubmissionInput,
  options: Readonly<PostOptions>,
): Promise<ReportReceipt | AnswerUnreadable> {
  return orAnswerUnreadable(
    context.post(domain, (d) => ({
      route: `${APPOINTMENTS}/{appointmentId}/report`,
      path: `${appointmentPath(d, pathId('appointmentId', appointmentId))}/report`,
      body: validateInput(ReportSubmissionSchema, input),
      idempotencyKey: idempotencyKey(options),
      schema: ReportReceiptSchema,
      signal: options.signal,
    })),
  )
}

export function createReportAttachmentUrls(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  items: readonly ReportAttachmentItem[],
  options: Readonly<PostOptions>,
): Promise<ReportAttachmentUrls> {
  return context.post(domain, (d) => ({
    route: `${APPOINTMENTS}/{appointmentId}/report/attachments`,
    path: `${appointmentPath(d, pathId('appointmentId', appointmentId))}/report/attachments`,
    body: { items: validateInput(ReportAttachmentItemsSchema, items, 'items') },
    idempotencyKey: idempotencyKey(options),
    schema: ReportAttachmentUrlsSchema,
    signal: options.signal,
  }))
}
