/**
 * Reading request bodies with a size cap and writing replies. Kept apart from routing so every route
 * reads and answers the same way (limits, content types, headers).
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HttpProblem, badRequest } from './problem'

/** What a handler answers; the server adds correlation, request id, date and cache headers. */
export interface Reply {
  readonly status: number
  /** Serialised as JSON with `contentType` (default application/json). */
  readonly json?: unknown
  readonly bytes?: Uint8Array
  readonly contentType?: string
  readonly headers?: Readonly<Record<string, string>>
}

export const sha256Hex = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex')

/**
 * Reads the whole body, refusing more than `limitBytes` with 413. The declared Content-Length is
 * checked first so an over-size upload is refused before its bytes are buffered.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(tooLarge(limitBytes))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    let ended = false
    // Past the limit, keep reading and discarding: destroying the stream would cut the connection
    // before the 413 could be sent.
    req.on('data', (chunk: Buffer) => {
      total += chunk.length
      if (total <= limitBytes) chunks.push(chunk)
      else chunks.length = 0
    })
    req.once('end', () => {
      ended = true
      if (total > limitBytes) reject(tooLarge(limitBytes))
      else resolve(Buffer.concat(chunks, total))
    })
    req.once('error', reject)
    req.once('close', () => {
      if (!ended) reject(new Error('request closed before its body ended'))
    })
  })
}

const tooLarge = (limitBytes: number) =>
  new HttpProblem({
    status: 413,
    type: 'payload-too-large',
    title: 'Payload Too Large',
    detail: `The request body exceeds ${limitBytes} bytes.`,
  })

/** The media type of a Content-Type header, lower-cased, without parameters ('' when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

export function requireJsonContentType(req: IncomingMessage): void {
  const type = mediaType(req.headers['content-type'])
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new HttpProblem({
      status: 415,
      type: 'unsupported-media-type',
      title: 'Unsupported Media Type',
      detail: 'The request body must be application/json.',
    })
  }
}

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown
  } catch {
    // The parser's message quotes the input: never pass it on.
    throw badRequest('The request body is not valid JSON.')
  }
}

/**
 * JSON with object keys sorted, so two bodies that differ only in key order or whitespace count as
 * the same payload for idempotency.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
