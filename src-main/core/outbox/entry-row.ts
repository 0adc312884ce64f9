import { z } from 'zod'
import {
  DeliveryResultSchema,
  EntryKindSchema,
  EntryStateSchema,
  HeldReasonSchema,
  LastErrorSchema,
  OutboxEntrySummarySchema,
  type EntryKind,
  type OutboxEntrySummary,
} from './schemas'

/**
 * The `entries` row as SQLite hands it back, parsed with zod: a row is data from disk, and disk (or an
 * older bug) can hold anything. JSON columns are parsed in a second step so that a broken JSON column is
 * reported as a corrupt row rather than thrown from deep inside the drain.
 */

const jsonColumn = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .nullable()
    .transform((text, ctx): z.infer<T> | null => {
      if (text === null) return null
      try {
        const parsed = schema.safeParse(JSON.parse(text))
        if (parsed.success) return parsed.data
      } catch {
        // fall through to the issue below
      }
      ctx.addIssue({ code: 'custom', message: 'invalid JSON column' })
      return z.NEVER
    })

const integer = z.number().int()
const flagTime = integer.nullable()

export const EntryRowSchema = z.object({
  seq: integer,
  id: z.string().min(1),
  kind: EntryKindSchema,
  domain: z.string().min(1),
  appointment_id: z.string().min(1),
  idempotency_key: z.string().min(1).max(128),
  state: EntryStateSchema,
  report_status: z.enum(['preliminary', 'final']).nullable(),
  payload: z.instanceof(Uint8Array).nullable(),
  attachment_bytes: z.instanceof(Uint8Array).nullable(),
  attempts: integer.nonnegative(),
  next_attempt_at: integer,
  retry_class: z.enum(['transport', 'server', 'rate-limit', 'other']).nullable(),
  last_error: jsonColumn(LastErrorSchema),
  held_reason: HeldReasonSchema.nullable(),
  held_detail: z.string().nullable(),
  held_at: flagTime,
  upload_generation: integer.nonnegative(),
  upload_key: z.string().min(1).max(128).nullable(),
  upload_key_minted_at: flagTime,
  upload_rejections: integer.nonnegative(),
  upload_guid: z.string().min(1).max(512).nullable(),
  upload_renewals: integer.nonnegative(),
  bound_token_url: z.string().min(1).nullable(),
  bound_api_base_url: z.string().min(1).nullable(),
  bound_client_id: z.string().min(1).nullable(),
  submission_key: z.string().min(1).max(128).nullable(),
  submission_digest: z.instanceof(Uint8Array).nullable(),
  result: jsonColumn(DeliveryResultSchema),
  created_at: integer,
  updated_at: integer,
  delivered_at: flagTime,
  exported_at: flagTime,
  discarded_at: flagTime,
  purged_at: flagTime,
})
export type EntryRow = z.infer<typeof EntryRowSchema>

export type RetryClass = NonNullable<EntryRow['retry_class']>

/** What can still be read from a row that failed to parse, for the corrupt-entry report. */
export function salvageIds(raw: Record<string, unknown>): {
  rowId: number
  id: string | null
  domain: string | null
  appointmentId: string | null
} {
  const text = (value: unknown) => (typeof value === 'string' ? value : null)
  return {
    rowId: typeof raw.seq === 'number' ? raw.seq : -1,
    id: text(raw.id),
    domain: text(raw.domain),
    appointmentId: text(raw.appointment_id),
  }
}

/** Shown for an entry whose stored record is partly unreadable (no PHI: the record is ids and times). */
export const SALVAGED_DETAIL =
  'Part of the stored record of this entry could not be read back, so it is not sent. Export it to get ' +
  'its content (then it can be discarded), and tell support.'

/**
 * The summary of a row that failed to parse, from the columns that can still be read: shown as held
 * with reason `unreadable` (it needs a person, and it blocks its appointment like a held entry). Null
 * when not even the id, kind and appointment can be read — `problems()` reports those.
 */
export function salvageSummary(
  raw: Record<string, unknown>,
  blockedBehind: (row: { kind: EntryKind; domain: string; appointment_id: string; seq: number }) => boolean,
): OutboxEntrySummary | null {
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null)
  const time = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : null)
  const id = text(raw.id)
  const domain = text(raw.domain)
  const appointmentId = text(raw.appointment_id)
  const kind = EntryKindSchema.safeParse(raw.kind)
  const seq = time(raw.seq)
  if (id === null || domain === null || appointmentId === null || !kind.success || seq === null) return null
  const delivered = raw.state === 'delivered'
  const discardedAt = time(raw.discarded_at)
  const key = text(raw.idempotency_key)
  const createdAt = time(raw.created_at) ?? 0
  const candidate: OutboxEntrySummary = {
    id,
    kind: kind.data,
    domain,
    appointmentId,
    idempotencyKey: key !== null && key.length <= 128 ? key : '(unreadable)',
    state: delivered ? 'delivered' : 'held',
    reportStatus:
      raw.report_status === 'preliminary' || raw.report_status === 'final' ? raw.report_status : null,
    attempts: time(raw.attempts) ?? 0,
    lastError: null,
    heldReason: delivered ? null : 'unreadable',
    heldDetail: delivered ? null : SALVAGED_DETAIL,
    blockedByHeld:
      !delivered &&
      discardedAt === null &&
      blockedBehind({ kind: kind.data, domain, appointment_id: appointmentId, seq }),
    nextAttemptAt: null,
    result: null,
    createdAt,
    updatedAt: time(raw.updated_at) ?? createdAt,
    deliveredAt: time(raw.delivered_at),
    exportedAt: time(raw.exported_at),
    discardedAt,
    purged: (raw.purged_at !== null && raw.purged_at !== undefined) || raw.payload === null,
  }
  const checked = OutboxEntrySummarySchema.safeParse(candidate)
  return checked.success ? checked.data : null
}

export function toSummary(row: EntryRow, blockedByHeld: boolean): OutboxEntrySummary {
  return {
    id: row.id,
    kind: row.kind,
    domain: row.domain,
    appointmentId: row.appointment_id,
    idempotencyKey: row.idempotency_key,
    state: row.state,
    reportStatus: row.report_status,
    attempts: row.attempts,
    lastError: row.last_error,
    heldReason: row.held_reason,
    heldDetail: row.held_detail,
    blockedByHeld,
    nextAttemptAt: row.state === 'queued' ? row.next_attempt_at : null,
    result: row.result,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
    exportedAt: row.exported_at,
    discardedAt: row.discarded_at,
    purged: row.purged_at !== null,
  }
}

/** What `#enqueue` wrote into a new row, besides the columns' defaults. */
export interface QueuedEntry {
  readonly id: string
  readonly kind: EntryKind
  readonly domain: string
  readonly appointmentId: string
  readonly idempotencyKey: string
  readonly reportStatus: EntryRow['report_status']
  /** created_at, updated_at and next_attempt_at alike. */
  readonly enqueuedAt: number
}

/**
 * The summary `toSummary` gives for a row just inserted as queued, built from the values written
 * instead of reading the row — its 10 KB of encrypted payload included — back and parsing it again
 * (issue 14). The outbox tests compare it with the summary read back from disk.
 */
export function queuedSummary(entry: QueuedEntry, blockedByHeld: boolean): OutboxEntrySummary {
  return {
    id: entry.id,
    kind: entry.kind,
    domain: entry.domain,
    appointmentId: entry.appointmentId,
    idempotencyKey: entry.idempotencyKey,
    state: 'queued',
    reportStatus: entry.reportStatus,
    attempts: 0,
    lastError: null,
    heldReason: null,
    heldDetail: null,
    blockedByHeld,
    nextAttemptAt: entry.enqueuedAt,
    result: null,
    createdAt: entry.enqueuedAt,
    updatedAt: entry.enqueuedAt,
    deliveredAt: null,
    exportedAt: null,
    discardedAt: null,
    purged: false,
  }
}

/** The appointment an entry belongs to, as one string key (domain and id may each contain anything). */
export function appointmentKey(domain: string, appointmentId: string): string {
  return JSON.stringify([domain, appointmentId])
}

/**
 * The queue an entry waits in: the unit of strict ordering. Reports of one appointment share a lane,
 * because QUBS keeps the last report submitted (a preliminary must never overwrite a later final).
 * A comment or a report attachment overwrites nothing, so each has a lane of its own and never waits
 * behind a held report. A row whose kind cannot be read is treated as a report (the cautious choice).
 */
export function orderingLane(
  kind: string | null,
  domain: string,
  appointmentId: string,
  entryId: string,
): string {
  return kind === 'comment' || kind === 'report-attachment'
    ? JSON.stringify(['entry', entryId])
    : appointmentKey(domain, appointmentId)
}
