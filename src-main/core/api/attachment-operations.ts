import type { Writable } from 'node:stream'
import {
  downloadToBuffer,
  downloadToWritable,
  type DownloadDeps,
  type DownloadMeta,
  type DownloadOptions,
} from './attachment-download'
import {
  APPOINTMENTS,
  appointmentPath,
  enc,
  pathId,
  type CallOptions,
  type OperationContext,
} from './operation-context'
import { AttachmentListSchema, AttachmentSchema, type Attachment } from './schemas'
import { DispositionSchema, UrlTtlSecondsSchema, validateInput } from './validation'

/**
 * An appointment's attachments: their metadata with presigned download URLs, and their content fetched
 * through those URLs (see attachment-download for how expired URLs are renewed).
 */
export interface AttachmentUrlOptions extends CallOptions {
  /** Presigned URL lifetime; the server clamps values outside its range. */
  readonly urlTtlSeconds?: number | undefined
  readonly disposition?: 'inline' | 'attachment' | undefined
}

export interface DownloadAttachmentOptions extends AttachmentUrlOptions {
  readonly maxBytes?: number | undefined
  /** Metadata already at hand; its URL is used first when it has not expired. */
  readonly attachment?: Attachment | undefined
}

export interface DownloadedAttachment extends DownloadMeta {
  readonly bytes: Buffer
}

export function listAttachments(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  options: Readonly<AttachmentUrlOptions>,
): Promise<Attachment[]> {
  return context.get(domain, (d) => ({
    route: `${APPOINTMENTS}/{appointmentId}/attachments`,
    path: `${appointmentPath(d, pathId('appointmentId', appointmentId))}/attachments`,
    query: urlQuery(options),
    schema: AttachmentListSchema,
    signal: options.signal,
  }))
}

export function getAttachment(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  attachmentGuid: string,
  options: Readonly<AttachmentUrlOptions>,
): Promise<Attachment> {
  return context.get(domain, (d) => ({
    route: `${APPOINTMENTS}/{appointmentId}/attachments/{attachmentGuid}`,
    path: `${appointmentPath(d, pathId('appointmentId', appointmentId))}/attachments/${enc(pathId('attachmentGuid', attachmentGuid))}`,
    query: urlQuery(options),
    schema: AttachmentSchema,
    signal: options.signal,
  }))
}

export function downloadAttachment(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  attachmentGuid: string,
  options: Readonly<DownloadAttachmentOptions>,
): Promise<DownloadedAttachment> {
  return context.guard(() =>
    downloadToBuffer(
      downloadDeps(context, domain, appointmentId, attachmentGuid, options),
      downloadOptions(options),
    ),
  )
}

export function downloadAttachmentTo(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  attachmentGuid: string,
  destination: Writable,
  options: Readonly<DownloadAttachmentOptions>,
): Promise<DownloadMeta> {
  return context.guard(() =>
    downloadToWritable(
      downloadDeps(context, domain, appointmentId, attachmentGuid, options),
      destination,
      downloadOptions(options),
    ),
  )
}

function urlQuery(options: Readonly<AttachmentUrlOptions>): Record<string, string | number | undefined> {
  return {
    urlTtlSeconds:
      options.urlTtlSeconds === undefined
        ? undefined
        : validateInput(UrlTtlSecondsSchema, options.urlTtlSeconds, 'urlTtlSeconds'),
    disposition:
      options.disposition === undefined
        ? undefined
        : validateInput(DispositionSchema, options.disposition, 'disposition'),
  }
}

function downloadDeps(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  attachmentGuid: string,
  options: Readonly<DownloadAttachmentOptions>,
): DownloadDeps {
  context.domain(domain)
  pathId('appointmentId', appointmentId)
  pathId('attachmentGuid', attachmentGuid)
  return {
    pipeline: context.pipeline,
    logger: context.logger,
    resolveAttachment: (signal) =>
      getAttachment(context, domain, appointmentId, attachmentGuid, {
        urlTtlSeconds: options.urlTtlSeconds,
        disposition: options.disposition,
        signal,
      }),
  }
}

function downloadOptions(options: Readonly<DownloadAttachmentOptions>): DownloadOptions {
  return { maxBytes: options.maxBytes, signal: options.signal, attachment: options.attachment }
}
