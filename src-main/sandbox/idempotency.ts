/**
 * Idempotency keys as the reference documents them: the same key with the same payload returns the
 * original response (same status, same body); the same key with another payload is 409; keys are kept
 * 24 hours for comments and reports and 15 minutes for report attachment uploads; keys are ASCII and
 * at most 128 characters.
 *
 * Scope (our choice; the reference does not say): a key is scoped to client id + domain + endpoint +
 * appointment. So the same key sent to another appointment, another endpoint or another domain is an
 * unrelated request, never a 409 — a client that (wrongly) reuses keys across appointments gets a new
 * effect rather than somebody else's answer.
 *
 * "Same payload" means the same JSON after canonicalising key order and whitespace: re-serialising the
 * same object is not a different payload. Only successful (2xx) answers are recorded, so a request
 * rejected for validation or 404 can be corrected and sent again with its key.
 */
import { HttpProblem } from './problem'
import type { Reply } from './http-io'

export type IdempotentEndpoint = 'report' | 'comments' | 'report-attachments'

export const KEY_RETENTION_MS: Readonly<Record<IdempotentEndpoint, number>> = {
  report: 24 * 3_600_000,
  comments: 24 * 3_600_000,
  'report-attachments': 15 * 60_000,
}

export const MAX_KEY_LENGTH = 128

export interface IdempotencyScope {
  readonly clientId: string
  readonly domain: string
  readonly endpoint: IdempotentEndpoint
  readonly appointmentId: string
  readonly key: string
}

interface StoredReply {
  readonly fingerprint: string
  readonly reply: Reply
  readonly expiresAtMs: number
}

export type IdempotencyLookup =
  | { readonly kind: 'miss' }
  | { readonly kind: 'replay'; readonly reply: Reply }
  | { readonly kind: 'conflict' }

/**
 * The Idempotency-Key header: null when absent; 400 when empty, longer than 128 characters or not
 * printable ASCII. (Node reads header bytes as latin1, so a UTF-8 key shows up as characters > 0x7e.)
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null
  if (Array.isArray(header)) throw invalidKey('Send one Idempotency-Key header, not several.')
  if (header.length === 0) throw invalidKey('The Idempotency-Key header is empty.')
  if (header.length > MAX_KEY_LENGTH) {
    throw invalidKey(
      `The Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters (got ${header.length}).`,
    )
  }
  if (!/^[\x21-\x7e]+$/.test(header)) throw invalidKey('The Idempotency-Key must be printable ASCII.')
  return header
}

const invalidKey = (detail: string) =>
  new HttpProblem({
    status: 400,
    type: 'invalid-idempotency-key',
    title: 'Bad Request',
    detail,
    errors: { 'Idempotency-Key': [detail] },
  })

export class IdempotencyStore {
  readonly #now: () => number
  readonly #records = new Map<string, StoredReply>()
  #writesSinceSweep = 0

  constructor(now: () => number) {
    this.#now = now
  }

  lookup(scope: IdempotencyScope, fingerprint: string): IdempotencyLookup {
    const id = scopeId(scope)
    const record = this.#records.get(id)
    if (!record) return { kind: 'miss' }
    if (record.expiresAtMs <= this.#now()) {
      this.#records.delete(id)
      return { kind: 'miss' }
    }
    return record.fingerprint === fingerprint ? { kind: 'replay', reply: record.reply } : { kind: 'conflict' }
  }

  remember(scope: IdempotencyScope, fingerprint: string, reply: Reply): void {
    const now = this.#now()
    this.#records.set(scopeId(scope), {
      fingerprint,
      reply,
      expiresAtMs: now + KEY_RETENTION_MS[scope.endpoint],
    })
    if (++this.#writesSinceSweep >= 1000) {
      this.#writesSinceSweep = 0
      for (const [id, record] of this.#records) if (record.expiresAtMs <= now) this.#records.delete(id)
    }
  }

  get size(): number {
    return this.#records.size
  }
}

function scopeId(scope: IdempotencyScope): string {
  return JSON.stringify([scope.clientId, scope.domain, scope.endpoint, scope.appointmentId, scope.key])
}

export function idempotencyConflict(): HttpProblem {
  return new HttpProblem({
    status: 409,
    type: 'idempotency-key-reused',
    title: 'Conflict',
    detail: 'This Idempotency-Key was already used with a different payload.',
  })
}
