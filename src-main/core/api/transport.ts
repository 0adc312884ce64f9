import { Agent, errors as undiciErrors, type Dispatcher } from 'undici'
import { markingConnector } from './connect-phase'
import { QubsError } from './errors'

/**
 * The shared low-level pieces of talking HTTP with undici: the timeouts and the dispatcher that enforces
 * them, and bounded body reading. Every request the client makes goes through one dispatcher so that
 * connect, headers and body timeouts hold for the token endpoint, the API and presigned URLs alike.
 */
export interface Timeouts {
  /** Establishing the TCP/TLS connection. */
  readonly connectMs: number
  /** From sending the request to the complete response headers. */
  readonly headersMs: number
  /** Longest gap between two chunks of the response body. */
  readonly bodyMs: number
  /**
   * The whole of one operation, retries, token wait and body included (and of one token grant): the
   * bound that holds when a server keeps each phase just inside its own timeout.
   */
  readonly operationMs: number
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: 10_000,
  headersMs: 30_000,
  bodyMs: 30_000,
  operationMs: 180_000,
}

export function resolveTimeouts(overrides: Partial<Timeouts> | undefined): Timeouts {
  const merged = { ...DEFAULT_TIMEOUTS, ...overrides }
  for (const key of ['connectMs', 'headersMs', 'bodyMs', 'operationMs'] as const) {
    if (!Number.isFinite(merged[key]) || merged[key] <= 0)
      throw new RangeError(`${key} must be a positive number`)
  }
  return merged
}

/** The dispatcher the client owns when none is injected. */
export function createDispatcher(timeouts: Timeouts): Agent {
  return new Agent({
    // The connector marks connect-phase failures: they prove the request never left (connect-phase.ts).
    connect: markingConnector({ timeout: timeouts.connectMs }),
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 4_000,
  })
}

/** Headers sent by undici's `request`, tolerant of repeated names. */
export type ResponseHeaders = Dispatcher.ResponseData['headers']

/** The largest JSON body accepted from the API; a pending page of 500 items is far below it. */
export const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024

/**
 * Reads a whole body as UTF-8, refusing more than `maxBytes`. The limit protects the main process from
 * a broken or hostile server; hitting it is an invalid response, not a crash.
 */
export async function readBodyText(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
  context: Readonly<{ status: number; correlationId: string | undefined }>,
): Promise<string> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
    total += buffer.length
    if (total > maxBytes) {
      body.destroy()
      throw new QubsError({
        kind: 'invalid-response',
        status: context.status,
        correlationId: context.correlationId,
      })
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Frees the connection of a response whose body we do not want. Never throws. */
export async function discardBody(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: 64 * 1024 })
  } catch {
    body.destroy()
  }
}

/** Waits for `promise`, but gives up with the signal's reason when the caller aborts first. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/**
 * Waits `ms` of real time (never rejects; an abort ends the wait early). For bounds on shutdown and
 * sockets, which must hold whatever clock the rest of the code is given.
 */
export function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, Math.max(0, ms))
    timer.unref()
    signal?.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}

/**
 * One request on the client's own dispatcher (`Dispatcher#request`, with the URL split into origin and
 * path as undici's top-level `request` would). Every call names its dispatcher, so nothing ever falls
 * back to a global one, and the client needs only undici's Agent — the CLI bundle loads just that part
 * of undici (see scripts/undici-for-cli.cjs), not fetch, WebSocket and the rest.
 */
export function send(
  dispatcher: Dispatcher,
  url: string,
  options: Readonly<Omit<Dispatcher.RequestOptions, 'origin' | 'path'>>,
): Promise<Dispatcher.ResponseData> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new undiciErrors.InvalidArgumentError('invalid url')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new undiciErrors.InvalidArgumentError('invalid url')
  }
  return dispatcher.request({
    ...options,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
  })
}
