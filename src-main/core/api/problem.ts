import { errors as undiciErrors } from 'undici'
import { z } from 'zod'
import { failedInConnectPhase } from './connect-phase'
import { QubsError } from './errors'

/**
 * Turning what came back (or failed to) into a QubsError: RFC 7807 problem bodies for non-2xx answers,
 * and transport failures by their undici class or Node error code. Nothing here copies a body or an
 * underlying error message into the QubsError's message: the problem's `detail` may quote PHI, so it is
 * kept as a property for the person's screen only.
 */
// Each field is read on its own (`.catch`): one field in an unexpected shape must not cost the rest,
// above all the requestId that support needs to find the request.
const lenientText = z.string().nullish().catch(undefined)
const ProblemSchema = z.looseObject({
  type: lenientText,
  title: lenientText,
  status: z.number().nullish().catch(undefined),
  detail: lenientText,
  instance: lenientText,
  requestId: lenientText,
  // Whether QUBS sends a validation `errors` map is undocumented; accept the usual ASP.NET shape.
  errors: z
    .record(z.string(), z.union([z.array(z.string()), z.string()]))
    .nullish()
    .catch(undefined),
  // OAuth token endpoints answer { error, error_description } instead of a problem.
  error: lenientText,
  error_description: lenientText,
})

export interface HttpFailure {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly bodyText: string
  readonly correlationId: string | undefined
  readonly retryAfterMs?: number | undefined
}

/** Problem titles are short phrases chosen by the server ("Not Found"); anything long or odd is dropped. */
function safeTitle(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  return trimmed.length > 0 && trimmed.length <= 100 && /^[\w .,'()/:-]+$/.test(trimmed) ? trimmed : undefined
}

export function problemToError(failure: HttpFailure): QubsError {
  let problem: z.output<typeof ProblemSchema> | undefined
  if (failure.bodyText.trim().startsWith('{')) {
    try {
      const parsed = ProblemSchema.safeParse(JSON.parse(failure.bodyText))
      if (parsed.success) problem = parsed.data
    } catch {
      problem = undefined
    }
  }
  const headerRequestId = headerValue(failure.headers['x-request-id'])
  const issues: Record<string, string[]> = {}
  for (const [field, messages] of Object.entries(problem?.errors ?? {})) {
    issues[field] = Array.isArray(messages) ? messages : [messages]
  }
  const detail = problem?.detail ?? problem?.error_description ?? undefined
  return new QubsError({
    kind: 'http',
    status: failure.status,
    title: safeTitle(problem?.title ?? problem?.error),
    ...(detail ? { detail } : {}),
    requestId: problem?.requestId ?? headerRequestId,
    correlationId: headerValue(failure.headers['x-correlation-id']) ?? failure.correlationId,
    retryAfterMs: failure.retryAfterMs,
    issues,
  })
}

export function headerValue(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value[0]
}

/** Failures that happened before the request could have reached the server: safe to repeat any method. */
export function failedBeforeSending(error: unknown): boolean {
  return error instanceof undiciErrors.ConnectTimeoutError || failedInConnectPhase(error)
}

function errorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') return code
  const cause = (error as { cause?: unknown }).cause
  return cause === error ? undefined : errorCode(cause)
}

/**
 * Maps anything thrown while sending or reading to a QubsError. Resets, refusals, DNS and TLS failures
 * are network failures; so is anything unrecognised: that marks them retryable and "may have committed", the safe side for an outbox
 * that must neither lose nor duplicate a report.
 */
export function transportToError(
  error: unknown,
  correlationId: string | undefined,
  signal?: AbortSignal,
): QubsError {
  if (error instanceof QubsError) return correlationId ? withCorrelationId(error, correlationId) : error
  if (signal?.aborted) return new QubsError({ kind: 'aborted', correlationId, cause: error })
  if (
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  ) {
    return new QubsError({ kind: 'timeout', correlationId, cause: error })
  }
  const code = errorCode(error)
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return new QubsError({ kind: 'timeout', correlationId, cause: error })
  }
  return new QubsError({ kind: 'network', correlationId, cause: error })
}

/** The same error, stamped with the logical operation's correlation id when it has none yet. */
export function withCorrelationId(error: QubsError, correlationId: string): QubsError {
  if (error.correlationId) return error
  return new QubsError({
    kind: error.kind,
    status: error.status,
    title: error.title,
    detail: error.detail,
    requestId: error.requestId,
    correlationId,
    retryAfterMs: error.retryAfterMs,
    issues: error.issues,
    cause: error.cause,
  })
}
