import { z } from 'zod'
import {
  DeliveryResultSchema,
  EntryKindSchema,
  EntryStateSchema,
  HeldReasonSchema,
  LastErrorSchema,
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

/** The appointment an entry belongs to, as one string key (domain and id may each contain anything). */
export function appointmentKey(domain: string, appointmentId: string): string {
  return JSON.stringify([domain, appointmentId])
}
