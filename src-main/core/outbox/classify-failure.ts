import { STATUS_CODES } from 'node:http'
import { QubsError } from '../api/errors'
import { linkEvidence, type LinkState } from '../api/request-outcome'
import type { RetryClass } from './entry-row'
import type { HeldReason, LastError } from './schemas'

/**
 * Turns whatever a delivery threw into the outbox's decision. The rule of the outbox: an entry leaves
 * the queue only on a definitive answer. Definitive refusals are held for a person; everything else
 * (no answer, a 5xx, a 429, an answer we could not parse) is retried later with the SAME key, because
 * the server may have applied the request and a replay with the same key is the only safe resend.
 */
export type FailureDecision =
  | {
      readonly action: 'retry'
      readonly retryClass: RetryClass
      readonly retryAfterMs: number | undefined
      readonly mayHaveCommitted: boolean
      /** Whether the server answered at all; null when nothing was asked of it. */
      readonly reachedServer: boolean | null
      /** What the failure proves about the link to QUBS (connectivity); null when nothing. */
      readonly link: LinkState | null
      readonly error: LastError
    }
  | {
      readonly action: 'hold'
      readonly reason: HeldReason
      readonly mayHaveCommitted: false
      /** A try the client retried inside this call may have been applied before this refusal. */
      readonly earlierTryMayHaveCommitted: boolean
      readonly reachedServer: boolean
      readonly link: LinkState | null
      readonly error: LastError
    }
  /** We aborted it (shutdown): the entry stays `sending` for resumption. */
  | {
      readonly action: 'interrupted'
      /** False only when the client knows nothing of this attempt left the machine. */
      readonly mayHaveCommitted: boolean
    }

export function classifyFailure(error: unknown, now: number, abortedByUs: boolean): FailureDecision {
  if (abortedByUs) {
    const known = isQubsError(error) ? error : undefined
    return {
      action: 'interrupted',
      mayHaveCommitted: known === undefined || !known.notSent || known.earlierTryMayHaveCommitted,
    }
  }
  if (!isQubsError(error)) {
    // Not the client's error type: a bug or an unexpected failure. Assume the worst (it may have been
    // applied) and retry with the same key; never hold or drop on our own bug.
    return {
      action: 'retry',
      retryClass: 'other',
      retryAfterMs: undefined,
      mayHaveCommitted: true,
      reachedServer: false,
      link: null,
      error: { code: 'unexpected', at: now },
    }
  }
  const facts = lastErrorOf(error, now)
  const link = linkEvidence(error)?.state ?? null
  const retry = (
    retryClass: RetryClass,
    mayHaveCommitted: boolean,
    reachedServer: boolean | null,
  ): FailureDecision => ({
    action: 'retry',
    retryClass,
    retryAfterMs: error.retryAfterMs,
    mayHaveCommitted,
    reachedServer,
    link,
    error: facts,
  })
  const hold = (reason: HeldReason): FailureDecision => ({
    action: 'hold',
    reason,
    mayHaveCommitted: false,
    earlierTryMayHaveCommitted: error.earlierTryMayHaveCommitted,
    reachedServer: error.kind === 'http',
    link,
    error: facts,
  })
  // The client retries inside one call; a try it retried may have been applied even when the answer
  // it finally throws is definitive (a 404, a 429…). That history must start the 23 h clock too.
  const earlier = error.earlierTryMayHaveCommitted
  // The token endpoint answered (an error, or a body we could not read): the reporting API was never
  // called, so nothing about this entry is wrong and nothing of it can have been applied.
  if (error.notSent && !earlier && (error.kind === 'http' || error.kind === 'invalid-response')) {
    return retry(error.status === 429 ? 'rate-limit' : 'other', false, true)
  }
  switch (error.kind) {
    case 'network':
    case 'timeout':
      // A request that never left this machine (offline, DNS, no token) cannot have been applied:
      // days offline must not make a never-sent report look "too old to resend".
      return retry('transport', error.mayHaveCommitted, false)
    case 'aborted':
      // Aborted by something other than our shutdown (a client-side deadline): treat as no answer.
      return retry('transport', !error.notSent || earlier, false)
    case 'invalid-response':
      // A 2xx we could not parse: probably applied. A replay with the same key returns it again.
      return retry('server', true, true)
    case 'auth':
      // Credentials refused: nothing about this entry is wrong. Wait (backoff) for the settings to be fixed.
      return retry('other', earlier, true)
    case 'validation':
      // The domain is not among the configured ones (settings changed since the enqueue): nothing is
      // wrong with the entry and QUBS never saw it, so it waits for the configuration, not a person.
      if (Object.keys(error.issues).length === 1 && error.issues['domain'])
        return retry('other', earlier, null)
      return hold('invalid')
    case 'http':
      return classifyStatus(
        error.status ?? 0,
        (retryClass, mayHaveCommitted, reachedServer) =>
          retry(retryClass, mayHaveCommitted || earlier, reachedServer),
        hold,
      )
  }
}

function classifyStatus(
  status: number,
  retry: (retryClass: RetryClass, mayHaveCommitted: boolean, reachedServer: boolean) => FailureDecision,
  hold: (reason: HeldReason) => FailureDecision,
): FailureDecision {
  if (status === 408) return retry('transport', true, true)
  if (status === 429) return retry('rate-limit', false, true)
  if (status >= 500) return retry('server', true, true)
  if (status === 401) return retry('other', false, true)
  if (status === 400 || status === 413 || status === 422) return hold('invalid')
  if (status === 403) return hold('forbidden')
  if (status === 404) return hold('not-pending')
  if (status === 409) return hold('conflict')
  if (status >= 400) return hold('rejected')
  // A non-error status should never arrive as an error; keep the entry and try again.
  return retry('server', true, true)
}

/**
 * The last failure as kept in the outbox's clear `last_error` column and shown in the panel. The
 * title is the HTTP status's own reason phrase, never the problem's `title`: that is server free text
 * and may quote what was sent (a patient's name, the report), and this column is not encrypted.
 */
export function lastErrorOf(error: QubsError, now: number): LastError {
  const title = error.status === undefined ? undefined : STATUS_CODES[error.status]
  return {
    code: error.kind === 'http' ? `http-${error.status ?? 0}` : error.kind,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(title === undefined ? {} : { title }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.correlationId === undefined ? {} : { correlationId: error.correlationId }),
    at: now,
  }
}

export function isQubsError(error: unknown): error is QubsError {
  return error instanceof QubsError
}
