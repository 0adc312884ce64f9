import type { Dispatcher } from 'undici'
import type { z } from 'zod'
import type { Clock, Random } from '../../common/clock'
import type { Logger } from '../../common/logger'
import { QubsError } from './errors'
import { failedBeforeSending, headerValue, problemToError, transportToError } from './problem'
import { decideRetry, parseRetryAfter, type RetryDecision, type RetryPolicyOptions } from './retry-policy'
import { API_PATH_PREFIX, type ConnectionSettings } from './settings'
import type { ResponseCheck } from './domain-binding'
import { NOTHING_SENT_YET, OperationScope } from './operation-scope'
import type { OutcomeListener, RequestOutcome } from './request-outcome'
import type { TokenManager } from './token-manager'
import {
  discardBody,
  MAX_JSON_BODY_BYTES,
  readBodyText,
  type ResponseHeaders,
  type Timeouts,
  send,
} from './transport'

/**
 * Executes one logical API operation: a fresh X-Correlation-Id reused by all its retries, the bearer
 * token (one refresh and one resend on 401), the timeouts, RFC 7807 problems turned into QubsErrors,
 * 2xx bodies validated with zod, and the retry policy (GET always, POST only with an Idempotency-Key).
 * Whatever goes wrong, callers only ever see a QubsError.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT'

export interface ApiRequest<T> {
  readonly method: 'GET' | 'POST'
  /** The route template, for logs: ids are not interpolated so log lines group by endpoint. */
  readonly route: string
  /** The path after `/integrations/v1`, with every segment already percent-encoded. */
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  /** A JSON body. Serialised once, so every retry sends the very same bytes with the same key. */
  readonly body?: unknown
  readonly idempotencyKey?: string
  readonly schema: z.ZodType<T>
  /** A protocol check on the validated answer (e.g. items bound to the queried domain). */
  readonly check?: ResponseCheck<T> | undefined
  readonly signal?: AbortSignal | undefined
}

export interface ApiResponse<T> {
  readonly data: T
  readonly status: number
  readonly correlationId: string
  readonly requestId: string | undefined
  readonly attempts: number
}

export interface Operation {
  readonly method: HttpMethod
  readonly route: string
  /** Presigned URLs talk to the storage host: their outcomes say nothing about QUBS itself. */
  readonly peer?: 'qubs' | 'storage'
  readonly idempotencyKey?: string | undefined
  readonly signal?: AbortSignal | undefined
}

export interface AttemptContext {
  readonly attempt: number
  readonly correlationId: string
  /** The operation's signal (caller, client closing, overall deadline): every step must listen to it. */
  readonly signal: AbortSignal
}

export interface HttpPipelineOptions {
  readonly settings: ConnectionSettings
  readonly tokens: TokenManager
  readonly dispatcher: Dispatcher
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger
  readonly retry: RetryPolicyOptions
  readonly timeouts: Timeouts
  /** Aborted when the client closes: every operation in flight ends. */
  readonly closing?: AbortSignal
  /** Told how each operation with QUBS ended (connectivity is judged from it). Must not throw. */
  readonly onOutcome?: OutcomeListener
}

/** Errors raised before the request could reach the server: safe to repeat whatever the method. */
export function markNotSent(error: QubsError): QubsError {
  return error.notSent ? error : error.with({ notSent: true })
}

/** Errors that must not be retried whatever their kind (e.g. a stream already handed to the caller). */
const finalErrors = new WeakSet<QubsError>()

export function markFinal(error: QubsError): QubsError {
  finalErrors.add(error)
  return error
}

const MAX_PROBLEM_BODY_BYTES = 1024 * 1024

const NEVER_CLOSING = new AbortController().signal

export class HttpPipeline {
  readonly #options: Readonly<HttpPipelineOptions>
  readonly #log: Logger

  constructor(options: Readonly<HttpPipelineOptions>) {
    this.#options = options
    this.#log = options.logger.child('pipeline')
  }

  get dispatcher(): Dispatcher {
    return this.#options.dispatcher
  }

  get timeouts(): Timeouts {
    return this.#options.timeouts
  }

  get clock(): Clock {
    return this.#options.clock
  }

  /** A JSON API call with auth, validation and retries. */
  async requestJson<T>(spec: ApiRequest<T>): Promise<ApiResponse<T>> {
    const url = this.#url(spec.path, spec.query)
    const bodyText = spec.body === undefined ? undefined : JSON.stringify(spec.body)
    return this.run(spec, async ({ attempt, correlationId, signal }) => {
      const result = await this.#sendAuthorised(spec, url, bodyText, correlationId, signal)
      return { ...result, attempts: attempt }
    })
  }

  /**
   * Runs `attempt` under the retry policy with one correlation id and one overall deadline for the
   * whole operation. Used for API calls and for presigned URLs alike; the attempt function must throw
   * QubsErrors (others are mapped).
   */
  async run<T>(operation: Operation, attempt: (context: AttemptContext) => Promise<T>): Promise<T> {
    const scope = new OperationScope(
      this.#options.timeouts.operationMs,
      operation.signal,
      this.#options.closing ?? NEVER_CLOSING,
    )
    try {
      const result = await this.#runInScope(operation, attempt, scope)
      this.#report(operation, { ok: true })
      return result
    } catch (error) {
      if (error instanceof QubsError) this.#report(operation, { ok: false, error })
      throw error
    } finally {
      scope.dispose()
    }
  }

  #report(operation: Operation, outcome: RequestOutcome): void {
    if (operation.peer === 'storage') return
    try {
      this.#options.onOutcome?.(outcome)
    } catch (error) {
      this.#log.error('outcome listener failed', { error })
    }
  }

  async #runInScope<T>(
    operation: Operation,
    attempt: (context: AttemptContext) => Promise<T>,
    scope: OperationScope,
  ): Promise<T> {
    const { clock, random, retry } = this.#options
    const correlationId = random.uuid()
    const startedAt = clock.now()
    const signal = scope.signal
    // Whether a try that was retried may have reached QUBS and been applied: a later definitive answer
    // (404, 409, 429…) does not undo that, and the caller must know it.
    let earlierTryMayHaveCommitted = false
    const withHistory = (failure: QubsError) =>
      earlierTryMayHaveCommitted && !failure.earlierTryMayHaveCommitted
        ? failure.with({ earlierTryMayHaveCommitted: true })
        : failure
    for (let attemptNo = 1; ; attemptNo += 1) {
      const endedBefore = scope.endedWith(NOTHING_SENT_YET, correlationId)
      if (endedBefore) throw withHistory(endedBefore)
      let failure: QubsError
      try {
        const result = await attempt({ attempt: attemptNo, correlationId, signal })
        this.#log.info('request completed', {
          method: operation.method,
          route: operation.route,
          attempts: attemptNo,
          durationMs: clock.now() - startedAt,
          correlationId,
        })
        return result
      } catch (error) {
        failure = transportToError(error, correlationId, signal)
      }
      const ended = scope.endedWith(failure, correlationId)
      if (ended) throw withHistory(ended)
      if (failure.kind === 'aborted') throw withHistory(failure)
      // A POST that QUBS answered 2xx is applied: its unreadable answer is the result, never a retry.
      const applied = failure.answerUnreadable && operation.method === 'POST'
      const decided: RetryDecision =
        finalErrors.has(failure) || applied
          ? { retry: false, reason: 'not-retryable' }
          : decideRetry(retry, failure, {
              method: operation.method,
              hasIdempotencyKey: operation.idempotencyKey !== undefined,
              attempt: attemptNo,
              notSent: failure.notSent,
            })
      // A wait that outlasts the deadline would only end in it: give the caller this answer now.
      const decision: RetryDecision =
        decided.retry && decided.delayMs >= scope.remainingMs ? { retry: false, reason: 'deadline' } : decided
      if (!decision.retry) {
        this.#log.warn('request failed', {
          method: operation.method,
          route: operation.route,
          kind: failure.kind,
          status: failure.status,
          attempts: attemptNo,
          reason: decision.reason,
          requestId: failure.requestId,
          correlationId,
        })
        throw withHistory(failure)
      }
      if (failure.mayHaveCommitted) earlierTryMayHaveCommitted = true
      this.#log.info('retrying request', {
        method: operation.method,
        route: operation.route,
        kind: failure.kind,
        status: failure.status,
        attempts: attemptNo,
        retryInMs: decision.delayMs,
        reason: decision.reason,
        correlationId,
      })
      try {
        await clock.sleep(decision.delayMs, signal)
      } catch (cause) {
        throw withHistory(
          scope.endedWith(NOTHING_SENT_YET, correlationId) ??
            new QubsError({ kind: 'aborted', notSent: true, correlationId, cause }),
        )
      }
    }
  }

  /** Reads a non-2xx answer into a QubsError (problem details, Retry-After, ids). */
  async failureFromResponse(response: Dispatcher.ResponseData, correlationId: string): Promise<QubsError> {
    let bodyText = ''
    try {
      bodyText = await readBodyText(response.body, MAX_PROBLEM_BODY_BYTES, {
        status: response.statusCode,
        correlationId,
      })
    } catch {
      // The status alone is still a definitive answer; an unreadable problem body does not change it.
      await discardBody(response.body)
    }
    return problemToError({
      status: response.statusCode,
      headers: response.headers,
      bodyText,
      correlationId,
      retryAfterMs: parseRetryAfter(
        response.headers['retry-after'],
        this.#options.clock.now(),
        response.headers.date,
      ),
    })
  }

  async #sendAuthorised<T>(
    spec: ApiRequest<T>,
    url: string,
    bodyText: string | undefined,
    correlationId: string,
    signal: AbortSignal,
  ): Promise<Omit<ApiResponse<T>, 'attempts'>> {
    const { tokens, dispatcher, timeouts } = this.#options
    let refreshed = false
    for (;;) {
      let token: string
      try {
        token = await tokens.getAccessToken(signal)
      } catch (error) {
        const failure = transportToError(error, correlationId, signal)
        // A token failure happens before the API call: repeating the operation cannot duplicate it.
        throw markNotSent(failure)
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        'x-correlation-id': correlationId,
      }
      if (bodyText !== undefined) headers['content-type'] = 'application/json'
      if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey

      let response: Dispatcher.ResponseData
      try {
        response = await send(dispatcher, url, {
          method: spec.method,
          headers,
          body: bodyText ?? null,
          signal,
          headersTimeout: timeouts.headersMs,
          bodyTimeout: timeouts.bodyMs,
        })
      } catch (error) {
        const failure = transportToError(error, correlationId, signal)
        throw failedBeforeSending(error) ? markNotSent(failure) : failure
      }

      if (response.statusCode === 401) {
        const failure = await this.failureFromResponse(response, correlationId)
        if (!refreshed) {
          // The token may have expired early or been revoked: refresh once and resend the same request.
          refreshed = true
          tokens.invalidate(token)
          this.#log.info('token refused; refreshing once', { route: spec.route, correlationId })
          continue
        }
        throw new QubsError({
          kind: 'auth',
          status: 401,
          title: failure.title,
          requestId: failure.requestId,
          correlationId,
        })
      }
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw await this.failureFromResponse(response, correlationId)
      }
      return this.#parseSuccess(spec, response, correlationId, signal)
    }
  }

  async #parseSuccess<T>(
    spec: ApiRequest<T>,
    response: Dispatcher.ResponseData,
    correlationId: string,
    signal: AbortSignal,
  ): Promise<Omit<ApiResponse<T>, 'attempts'>> {
    const status = response.statusCode
    const requestId = headerValue(response.headers['x-request-id'])
    // The status says QUBS applied the request; from here on, a body we cannot use is an answer lost,
    // not a failure of the request (for a POST, the operation module turns it into its result).
    const unreadable = () =>
      new QubsError({ kind: 'invalid-response', status, requestId, correlationId, answerUnreadable: true })
    let text: string
    try {
      text = await readBodyText(response.body, MAX_JSON_BODY_BYTES, { status, correlationId })
    } catch (error) {
      // Our own abort (deadline, shutdown) ends the operation as such; anything else lost the answer
      // and keeps its kind (a stalled body is still a timeout for a GET to retry).
      const failure = transportToError(error, correlationId, signal)
      if (signal.aborted) throw failure
      this.#log.warn('response body could not be read', { route: spec.route, status, correlationId })
      if (failure.kind === 'invalid-response') throw unreadable()
      throw new QubsError({
        kind: failure.kind,
        status,
        requestId,
        correlationId,
        answerUnreadable: true,
        cause: error,
      })
    }
    let json: unknown
    try {
      json = text.trim() === '' ? undefined : JSON.parse(text)
    } catch {
      this.#log.warn('response is not JSON', { route: spec.route, status, correlationId })
      throw unreadable()
    }
    const parsed = spec.schema.safeParse(json)
    if (!parsed.success) {
      // Paths only: a value could be a patient's name.
      const paths = parsed.error.issues.slice(0, 5).map((issue) => issue.path.join('.') || '(root)')
      this.#log.warn('response in an unexpected shape', {
        route: spec.route,
        status,
        correlationId,
        reason: paths.join(','),
      })
      throw unreadable()
    }
    const refusal = spec.check?.(parsed.data)
    if (refusal !== undefined) {
      // The reason is one of our own fixed phrases: no value from the answer reaches the log or error.
      this.#log.warn('response breaks the protocol', {
        route: spec.route,
        status,
        correlationId,
        reason: refusal,
      })
      throw new QubsError({ kind: 'invalid-response', status, title: refusal, requestId, correlationId })
    }
    return { data: parsed.data, status, correlationId, requestId }
  }

  #url(path: string, query: ApiRequest<unknown>['query']): string {
    const url = new URL(`${this.#options.settings.apiBaseUrl}${API_PATH_PREFIX}${path}`)
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value))
    }
    return url.toString()
  }
}

/** Response headers by name, first value: a small helper for the presigned-URL modules. */
export function firstHeader(headers: ResponseHeaders, name: string): string | undefined {
  return headerValue(headers[name.toLowerCase()])
}
