import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { Logger } from '../../common/logger'
import { QubsError } from './errors'
import { markFinal, type HttpPipeline } from './http-pipeline'
import { headerValue, transportToError } from './problem'
import type { Attachment } from './schemas'
import { isSecureUrl } from './settings'
import { discardBody, send } from './transport'

/**
 * Attachment content comes from a short-lived presigned URL, not from the API: it is fetched without
 * an Authorization header (the bearer token must never reach the storage host), streamed with a size
 * limit, and when the URL has expired — or the storage answers 403/404/410, which is how expired or
 * revoked presigned URLs fail — a fresh URL is fetched through get-attachment and the download tried
 * again. Transient failures are retried by the pipeline (a GET is safe to repeat) as long as nothing
 * has been handed to a caller's stream yet.
 */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024
/** How many times a download asks QUBS for a fresh URL before giving up. */
export const MAX_URL_REFRESHES = 2
/** A URL this close to its expiry is refreshed before use rather than failing half-way. */
const EXPIRY_MARGIN_MS = 5_000
const REFRESHABLE_STATUSES = new Set([403, 404, 410])

/**
 * QUBS lists the attachment but gives no URL for it, even when asked again: there is no file behind
 * it yet (the API documents `url` as nullable). Not a fault of the answer's shape: callers tell the
 * person so instead of "try again".
 */
export class AttachmentWithoutContentError extends QubsError {
  constructor() {
    super({ kind: 'invalid-response', title: 'Attachment has no download URL' })
    this.name = 'AttachmentWithoutContentError'
  }
}

/** Where downloaded bytes go: a buffer that can start over, or a caller's stream that cannot once written. */
interface ChunkSink {
  write(chunk: Buffer): Promise<void>
  /** Starts over for a retry; false when bytes already left for a place we cannot take them back from. */
  reset(): boolean
}

export interface DownloadMeta {
  readonly contentType: string
  readonly fileName: string
  readonly size: number
}

export interface DownloadDeps {
  readonly pipeline: HttpPipeline
  readonly logger: Logger
  /** Fetches the attachment metadata with a fresh presigned URL (get-attachment). */
  readonly resolveAttachment: (signal: AbortSignal | undefined) => Promise<Attachment>
}

export interface DownloadOptions {
  readonly maxBytes?: number | undefined
  readonly signal?: AbortSignal | undefined
  /** Metadata already at hand (e.g. from list-attachments): its URL is used first when still valid. */
  readonly attachment?: Attachment | undefined
}

export async function downloadToBuffer(
  deps: Readonly<DownloadDeps>,
  options: Readonly<DownloadOptions>,
): Promise<DownloadMeta & { readonly bytes: Buffer }> {
  let chunks: Buffer[] = []
  const sink: ChunkSink = {
    write: async (chunk) => {
      chunks.push(chunk)
    },
    reset: () => {
      chunks = []
      return true
    },
  }
  const meta = await download(deps, options, sink)
  return { ...meta, bytes: Buffer.concat(chunks) }
}

/**
 * Streams the content into `destination`, honouring its backpressure, and ends it on success. On failure
 * the destination is left open (not destroyed) for the caller to discard; a failure after the first
 * bytes were written is not retried, since they cannot be taken back.
 */
export async function downloadToWritable(
  deps: Readonly<DownloadDeps>,
  destination: Writable,
  options: Readonly<DownloadOptions>,
): Promise<DownloadMeta> {
  let written = 0
  const sink: ChunkSink = {
    write: async (chunk) => {
      written += chunk.length
      if (!destination.write(chunk)) await once(destination, 'drain')
    },
    reset: () => written === 0,
  }
  const meta = await download(deps, options, sink)
  const finished = once(destination, 'finish')
  destination.end()
  await finished
  return meta
}

async function download(
  deps: Readonly<DownloadDeps>,
  options: Readonly<DownloadOptions>,
  sink: ChunkSink,
): Promise<DownloadMeta> {
  const { pipeline, logger } = deps
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) {
    throw new QubsError({ kind: 'validation', issues: { maxBytes: ['maxBytes must be a positive number'] } })
  }
  const usable = (candidate: Attachment) =>
    Boolean(candidate.url) && !isExpired(candidate, pipeline.clock.now())
  let attachment =
    options.attachment && usable(options.attachment)
      ? options.attachment
      : await deps.resolveAttachment(options.signal)
  let refreshes = 0
  for (;;) {
    // A URL missing or about to expire: ask for a fresh one (bounded), then try whatever we have.
    while (!usable(attachment) && refreshes < MAX_URL_REFRESHES) {
      refreshes += 1
      logger.info('attachment URL missing or expired; asking for a fresh one', { count: refreshes })
      attachment = await deps.resolveAttachment(options.signal)
    }
    const url = attachment.url
    if (!url) throw new AttachmentWithoutContentError()
    if (!isSecureUrl(url))
      throw new QubsError({ kind: 'invalid-response', title: 'Attachment URL is not https' })
    try {
      const meta = await pipeline.run(
        { method: 'GET', route: 'presigned-download', peer: 'storage', signal: options.signal },
        async ({ correlationId, signal }) => {
          try {
            return await fetchOnce(pipeline, url, maxBytes, sink, correlationId, signal)
          } catch (error) {
            const failure = transportToError(error, correlationId, signal)
            // Bytes already streamed to the caller cannot be taken back: such a failure is final.
            if (!sink.reset()) markFinal(failure)
            throw failure
          }
        },
      )
      return { ...meta, fileName: attachment.fileName ?? attachment.guid }
    } catch (error) {
      const failure = transportToError(error, undefined, options.signal)
      const refreshable =
        failure.kind === 'http' && failure.status !== undefined && REFRESHABLE_STATUSES.has(failure.status)
      if (!refreshable || refreshes >= MAX_URL_REFRESHES || !sink.reset()) throw failure
      refreshes += 1
      logger.info('attachment URL refused; asking for a fresh one', {
        status: failure.status,
        count: refreshes,
      })
      attachment = await deps.resolveAttachment(options.signal)
    }
  }
}

function isExpired(attachment: Attachment, nowMs: number): boolean {
  if (!attachment.urlExpiresAtUtc) return false
  const at = Date.parse(attachment.urlExpiresAtUtc)
  return Number.isFinite(at) && at <= nowMs + EXPIRY_MARGIN_MS
}

async function fetchOnce(
  pipeline: HttpPipeline,
  url: string,
  maxBytes: number,
  sink: ChunkSink,
  correlationId: string,
  signal: AbortSignal,
): Promise<Omit<DownloadMeta, 'fileName'>> {
  let response: Dispatcher.ResponseData
  try {
    response = await send(pipeline.dispatcher, url, {
      method: 'GET',
      // Deliberately no Authorization and no X-Correlation-Id: the storage host is not QUBS's API.
      headers: { accept: '*/*' },
      signal,
      headersTimeout: pipeline.timeouts.headersMs,
      bodyTimeout: pipeline.timeouts.bodyMs,
    })
  } catch (error) {
    throw transportToError(error, correlationId, signal)
  }
  const status = response.statusCode
  if (status < 200 || status > 299) throw await pipeline.failureFromResponse(response, correlationId)

  const tooLarge = () =>
    markFinal(
      new QubsError({
        kind: 'invalid-response',
        status,
        title: 'Attachment exceeds the size limit',
        correlationId,
      }),
    )
  const declared = Number(headerValue(response.headers['content-length']))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discardBody(response.body)
    throw tooLarge()
  }
  let size = 0
  try {
    for await (const chunk of response.body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
      size += buffer.length
      if (size > maxBytes) {
        response.body.destroy()
        throw tooLarge()
      }
      await sink.write(buffer)
    }
  } catch (error) {
    response.body.destroy()
    throw transportToError(error, correlationId, signal)
  }
  const contentType = headerValue(response.headers['content-type']) ?? 'application/octet-stream'
  return { contentType, size }
}
