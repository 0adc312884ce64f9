import { timingSafeEqual } from 'node:crypto'
import { IdempotencyKeySchema } from '../api/validation'
import { OutboxError, parseRow, type OutboxContext } from './context'
import type { EntryRow } from './entry-row'
import type { EntryKind } from './schemas'

/**
 * Caller-chosen submission keys (the CLI's `--key`), so that a script can re-run a submission safely.
 * The key is the entry's first idempotency key on the wire, and stays its submission key when a retry
 * mints a new wire key. A submission is identified by a keyed digest of what was submitted (kind,
 * domain, appointment, the validated input before any default is filled in, and the bytes): the same
 * key and the same digest is the same submission (the existing entry is returned, nothing is queued);
 * the same key with anything else is a `key-conflict` (nothing is queued), as QUBS answers 409.
 */
export interface EnqueueOptions {
  /** A stable ASCII token (printable, no spaces), at most 128 characters; QUBS recommends a UUID. */
  readonly idempotencyKey?: string
}

export interface SubmissionIdentity {
  readonly kind: EntryKind
  readonly domain: string
  readonly appointmentId: string
  /** The validated input as the caller gave it, JSON (no defaults filled in). */
  readonly inputJson: string
  readonly bytes: Uint8Array | null
}

export function submissionDigest(context: OutboxContext, identity: SubmissionIdentity): Uint8Array {
  return context.cipher.digest([
    identity.kind,
    identity.domain,
    identity.appointmentId,
    identity.inputJson,
    identity.bytes ?? '',
  ])
}

/** The key, validated as the reference says; an `invalid-input` error otherwise (the key is not PHI). */
export function checkedSubmissionKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined
  const parsed = IdempotencyKeySchema.safeParse(key)
  if (!parsed.success) {
    throw new OutboxError(
      'invalid-input',
      'invalid submission (idempotencyKey: a stable ASCII token of 1–128 printable characters without spaces)',
    )
  }
  return parsed.data
}

/** The entry a key already names (as its submission key or its current wire key), or null. */
export function findBySubmissionKey(context: OutboxContext, key: string): EntryRow | null {
  const raw = context.statements
    .prepare('SELECT * FROM entries WHERE submission_key = ? OR idempotency_key = ? ORDER BY seq LIMIT 1')
    .get(key, key)
  if (raw === undefined) return null
  const parsed = parseRow(raw)
  if (!parsed.ok) throw new OutboxError('key-conflict', `the key is used by an unreadable outbox entry`)
  return parsed.row
}

/** Whether `existing` is the submission `digest` describes; throws `key-conflict` when it is not. */
export function requireSameSubmission(existing: EntryRow, digest: Uint8Array): void {
  const stored = existing.submission_digest
  const same = stored !== null && stored.byteLength === digest.byteLength && timingSafeEqual(stored, digest)
  if (!same) {
    throw new OutboxError(
      'key-conflict',
      `the key was already used for another submission (outbox entry ${existing.id}); nothing was queued`,
      existing.id,
    )
  }
}
