import { systemClock, systemRandom, type Clock, type Random } from '../../common/clock'
import type { QubsError } from './errors'
import { parseHttpDate } from './http-date'

/**
 * When to try a request again and how long to wait first. Pure decisions over injected time and
 * randomness, so the pipeline's behaviour under faults is testable without real sleeps.
 *
 * - GET (and PUT to a presigned URL) is safe to repeat; a POST only when it carries an Idempotency-Key,
 *   because without one a retry after a lost answer can create a duplicate report.
 * - 429 and 503 honour Retry-After as the server says (seconds or any HTTP-date form). The wait is never
 *   shorter than asked, nor shorter than our own growing backoff; when the server asks for longer than `maxRetryAfterMs` we stop and hand the wait to the
 *   caller (`QubsError.retryAfterMs`) instead of holding the request open.
 * - Everything else transient waits an exponential backoff with full jitter, capped at `capDelayMs`.
 * - 409 (same key, other payload) and other 4xx are terminal; 401 is handled by the pipeline (one
 *   token refresh) before the policy is asked.
 */
export interface RetryPolicyOptions {
  readonly clock: Clock
  readonly random: Random
  /** Total tries, the first included. 1 means never retry. */
  readonly maxAttempts: number
  /** The backoff ceiling before the first retry; doubles per retry. */
  readonly baseDelayMs: number
  /** The largest backoff (jittered) wait. Does not apply to a server's Retry-After. */
  readonly capDelayMs: number
  /** The longest Retry-After waited inside one call; longer ones are returned to the caller. */
  readonly maxRetryAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicyOptions = {
  clock: systemClock,
  random: systemRandom,
  maxAttempts: 4,
  baseDelayMs: 250,
  capDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
}

export function resolveRetryPolicy(
  overrides: Partial<RetryPolicyOptions> | undefined,
  defaults: Partial<RetryPolicyOptions> = {},
): RetryPolicyOptions {
  const merged = { ...DEFAULT_RETRY_POLICY, ...defaults, ...overrides }
  if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1)
    throw new RangeError('maxAttempts must be ≥ 1')
  for (const key of ['baseDelayMs', 'capDelayMs', 'maxRetryAfterMs'] as const) {
    if (!Number.isFinite(merged[key]) || merged[key] < 0)
      throw new RangeError(`${key} must be a finite number ≥ 0`)
  }
  return merged
}

/**
 * Parses a Retry-After header into milliseconds from now, or undefined when absent or unusable.
 * Accepts delay-seconds ("120") and an HTTP-date in any of its three forms (`http-date.ts`). A date is measured
 * against the response's own `Date` header when there is one (RFC 9110 §10.2.3: it cancels clock skew
 * between us and the server), else against `nowMs`. A date in the past means "now" (0) because the
 * server said so; garbage, negatives and NaN give undefined so the caller falls back to backoff rather
 * than retrying at once.
 */
/**
 * The longest wait a Retry-After can impose: a day. Past that the server's idempotency keys expire
 * anyway, and an absurd value (a broken proxy's 13-digit number) must not become a due time no one
 * can store or ever reach.
 */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000

export function parseRetryAfter(
  header: string | readonly string[] | undefined,
  nowMs: number,
  responseDate?: string | readonly string[],
): number | undefined {
  const value = firstHeader(header)?.trim()
  if (value === undefined || value === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value)) {
    const seconds = Number(value)
    return Number.isFinite(seconds) ? Math.min(Math.ceil(seconds * 1000), MAX_RETRY_AFTER_MS) : undefined
  }
  const at = parseHttpDate(value, nowMs)
  if (at === undefined) return undefined
  const dateHeader = firstHeader(responseDate)
  const serverNow = dateHeader === undefined ? undefined : parseHttpDate(dateHeader, nowMs)
  const reference = serverNow ?? nowMs
  return Math.min(Math.max(0, at - reference), MAX_RETRY_AFTER_MS)
}

function firstHeader(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value[0]
}

/** Full-jitter exponential backoff: uniform in [0, min(cap, base·2^retryIndex)). `retryIndex` starts at 0. */
export function backoffDelayMs(policy: RetryPolicyOptions, retryIndex: number): number {
  return Math.floor(policy.random.next() * backoffCeilingMs(policy, retryIndex))
}

function backoffCeilingMs(policy: RetryPolicyOptions, retryIndex: number): number {
  return Math.min(policy.capDelayMs, policy.baseDelayMs * 2 ** Math.min(retryIndex, 30))
}

export interface RetryContext {
  readonly method: string
  readonly hasIdempotencyKey: boolean
  /** 1 for the first try. */
  readonly attempt: number
  /** True when the failure happened before the request could have reached the server (token fetch, connect). */
  readonly notSent?: boolean
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly reason: 'retry-after' | 'backoff' }
  | { readonly retry: false; readonly reason: RetryStopReason }

export type RetryStopReason =
  | 'not-retryable'
  | 'unsafe-method'
  | 'attempts-exhausted'
  | 'retry-after-too-long'
  /** The wait would outlast the operation's overall deadline. */
  | 'deadline'

/** Whether a request of this method may be sent again at all. */
export function isRepeatable(context: RetryContext): boolean {
  const method = context.method.toUpperCase()
  if (method === 'GET' || method === 'HEAD' || method === 'PUT') return true
  // Nothing reached the server: repeating cannot duplicate anything.
  if (context.notSent) return true
  return context.hasIdempotencyKey
}

/** Whether the failure is one that trying again may fix (transport, timeout, 408, 429, 5xx). */
export function isTransient(error: QubsError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true
  if (error.kind !== 'http' || error.status === undefined) return false
  if (error.status === 409) return false
  return error.status === 408 || error.status === 429 || error.status >= 500
}

export function decideRetry(
  policy: RetryPolicyOptions,
  error: QubsError,
  context: RetryContext,
): RetryDecision {
  if (!isTransient(error)) return { retry: false, reason: 'not-retryable' }
  if (!isRepeatable(context)) return { retry: false, reason: 'unsafe-method' }
  const honoursRetryAfter = error.kind === 'http' && (error.status === 429 || error.status === 503)
  if (honoursRetryAfter && error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
    return { retry: false, reason: 'retry-after-too-long' }
  }
  if (context.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' }
  if (honoursRetryAfter) {
    // The server's wait is a floor, not the schedule: a Retry-After of 0 or 1 s (or an unreadable one)
    // taken alone sent four requests back to back. So the wait is the larger of what the server asked
    // and our own growing backoff. That backoff uses "equal jitter" (half the ceiling fixed, half
    // random) rather than full jitter: a server that is refusing us must see the gaps grow, and a full
    // jitter draw near zero would be another back-to-back request.
    const ceiling = backoffCeilingMs(policy, context.attempt - 1)
    const backoff = Math.floor(ceiling / 2 + policy.random.next() * (ceiling / 2))
    const retryAfter = error.retryAfterMs ?? 0
    return retryAfter >= backoff
      ? { retry: true, delayMs: retryAfter, reason: 'retry-after' }
      : { retry: true, delayMs: backoff, reason: 'backoff' }
  }
  return { retry: true, delayMs: backoffDelayMs(policy, context.attempt - 1), reason: 'backoff' }
}
