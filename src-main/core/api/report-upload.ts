import type { Dispatcher } from 'undici'
import type { HttpPipeline } from './http-pipeline'
import { headerValue, transportToError } from './problem'
import { isSecureUrl } from './settings'
import { discardBody, send } from './transport'
import { QubsError } from './errors'
import {
  ReportAttachmentUploadInputSchema,
  validateInput,
  type ReportAttachmentContentType,
} from './validation'

/**
 * The PUT of a report artifact (PDF or DICOM SR) to the presigned upload URL that
 * create-report-attachment-URLs returned. Per the API docs: one PUT with the raw bytes, Content-Length,
 * the same Content-Type as declared when the URL was created, and no Authorization header (the URL
 * carries its own authorisation; our bearer token must not reach the storage host). PUT is idempotent,
 * so transient failures are retried on the same URL; a refused or expired URL (403 and the like) is
 * returned to the caller, which asks for a new URL with a new key as the design prescribes.
 */
export interface UploadReportAttachmentInput {
  readonly uploadUrl: string
  readonly bytes: Uint8Array
  readonly contentType: ReportAttachmentContentType
  readonly signal?: AbortSignal | undefined
}

export interface UploadResult {
  readonly status: number
  readonly size: number
  /** The storage's entity tag when it sends one (S3 does). */
  readonly etag: string | undefined
}

export async function uploadReportAttachment(
  pipeline: HttpPipeline,
  input: Readonly<UploadReportAttachmentInput>,
): Promise<UploadResult> {
  const valid = validateInput(ReportAttachmentUploadInputSchema, {
    uploadUrl: input.uploadUrl,
    bytes: input.bytes,
    contentType: input.contentType,
  })
  if (!isSecureUrl(valid.uploadUrl)) {
    throw new QubsError({
      kind: 'validation',
      issues: { uploadUrl: ['uploadUrl must be https (http on loopback only)'] },
    })
  }
  const body = Buffer.from(valid.bytes.buffer, valid.bytes.byteOffset, valid.bytes.byteLength)
  return pipeline.run(
    { method: 'PUT', route: 'presigned-upload', peer: 'storage', signal: input.signal },
    async ({ correlationId, signal }) => {
      let response: Dispatcher.ResponseData
      try {
        response = await send(pipeline.dispatcher, valid.uploadUrl, {
          method: 'PUT',
          headers: { 'content-type': valid.contentType, 'content-length': String(body.byteLength) },
          body,
          signal,
          headersTimeout: pipeline.timeouts.headersMs,
          bodyTimeout: pipeline.timeouts.bodyMs,
        })
      } catch (error) {
        throw transportToError(error, correlationId, signal)
      }
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw await pipeline.failureFromResponse(response, correlationId)
      }
      await discardBody(response.body)
      return { status: response.statusCode, size: body.byteLength, etag: headerValue(response.headers.etag) }
    },
  )
}
