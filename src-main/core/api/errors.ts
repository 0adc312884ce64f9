/**
 * The one error type the QUBS client raises. It carries what support needs to find the request on the
 * server (status, requestId, correlation id) and what callers need to decide (kind, retryable,
 * retryAfterMs) — never PHI: the message is built from the status, the problem title and the ids only.
 * The server's `detail` is kept as a property for the person's screen, never put into `message` or logs.
 */
export type QubsErrorKind =
  /** The server answered with a non-2xx status (see `status`). */
  | 'http'
  /** No answer: connection refused or reset, DNS failure, TLS failure, socket closed mid-response. */
  | 'network'
  /** Connect, headers or body timeout. The request may or may not have reached the server. */
  | 'timeout'
  /** A 2xx answer whose body did not match the documented shape. */
  | 'invalid-response'
  /** Credentials rejected at the token endpoint, or a 401 that survived one token refresh. */
  | 'auth'
  /** Rejected on the client before anything was sent (see `issues`). */
  | 'validation'
  /** The caller aborted (shutdown, cancelled by the person). */
  | 'aborted'

export interface QubsErrorInit {
  readonly kind: QubsErrorKind
  readonly status?: number
  readonly title?: string
  readonly detail?: string
  readonly requestId?: string
  readonly correlationId?: string
  readonly retryAfterMs?: number
  /** Validation issues: field path → messages (client-side, or the server's problem `errors` map). */
  readonly issues?: Readonly<Record<string, readonly string[]>>
  /**
   * The request never left this machine (no connection, DNS failure, no token): repeating it cannot
   * duplicate anything, and it says nothing about whether QUBS has the submission.
   */
  readonly notSent?: boolean
  /**
   * An earlier try of the same operation (retried inside the client with the same key) got no
   * definitive answer, so QUBS may have applied it even though this error is definitive.
   */
  readonly earlierTryMayHaveCommitted?: boolean
  /**
   * The server answered 2xx — it applied the request — but the body was empty, not in the documented
   * shape ('invalid-response'), or broke off or stalled while being read ('network', 'timeout'). For a
   * POST that is a success whose answer is lost.
   */
  readonly answerUnreadable?: boolean
  readonly cause?: unknown
}

export class QubsError extends Error {
  readonly kind: QubsErrorKind
  readonly status: number | undefined
  readonly title: string | undefined
  readonly detail: string | undefined
  readonly requestId: string | undefined
  readonly correlationId: string | undefined
  readonly retryAfterMs: number | undefined
  readonly issues: Readonly<Record<string, readonly string[]>>
  readonly notSent: boolean
  readonly earlierTryMayHaveCommitted: boolean
  readonly answerUnreadable: boolean
  readonly #init: QubsErrorInit

  constructor(init: QubsErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'QubsError'
    this.kind = init.kind
    this.status = init.status
    this.title = init.title
    this.detail = init.detail
    this.requestId = init.requestId
    this.correlationId = init.correlationId
    this.retryAfterMs = init.retryAfterMs
    this.issues = init.issues ?? {}
    this.notSent = init.notSent ?? false
    this.earlierTryMayHaveCommitted = init.earlierTryMayHaveCommitted ?? false
    this.answerUnreadable = init.answerUnreadable ?? false
    this.#init = init
  }

  /** The same error with some facts added (errors are immutable; the pipeline learns facts late). */
  with(facts: Readonly<Pick<QubsErrorInit, 'notSent' | 'earlierTryMayHaveCommitted'>>): QubsError {
    return new QubsError({ ...this.#init, ...facts })
  }

  /**
   * Whether trying again later may succeed: transport failures, timeouts, 408, 429 and 5xx. A POST is
   * only retried by callers that hold an Idempotency-Key for it.
   */
  get retryable(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout') return true
    if (this.kind !== 'http' || this.status === undefined) return false
    return this.status === 408 || this.status === 429 || this.status >= 500
  }

  /**
   * Whether the server may have applied the request even though we got no definitive answer. The outbox
   * uses this to know that a later resend must reuse the same idempotency key within its 24 h window.
   */
  get mayHaveCommitted(): boolean {
    if (this.earlierTryMayHaveCommitted) return true
    if (this.notSent) return false
    return (
      this.kind === 'network' ||
      this.kind === 'timeout' ||
      (this.kind === 'http' && (this.status ?? 0) >= 500)
    )
  }
}

function describe(init: QubsErrorInit): string {
  const parts: string[] = []
  switch (init.kind) {
    case 'http':
      parts.push(`QUBS answered ${init.status ?? '?'}${init.title ? ` ${init.title}` : ''}`)
      break
    case 'network':
      parts.push('QUBS could not be reached')
      break
    case 'timeout':
      parts.push('QUBS did not answer in time')
      break
    case 'invalid-response':
      parts.push(`QUBS sent an answer in an unexpected shape${init.status ? ` (status ${init.status})` : ''}`)
      break
    case 'auth':
      parts.push('QUBS rejected the credentials')
      break
    case 'validation':
      parts.push(`invalid input: ${Object.keys(init.issues ?? {}).join(', ') || 'see issues'}`)
      break
    case 'aborted':
      parts.push('the request was cancelled')
      break
  }
  if (init.requestId) parts.push(`requestId ${init.requestId}`)
  if (init.correlationId) parts.push(`correlation id ${init.correlationId}`)
  return parts.join('; ')
}
