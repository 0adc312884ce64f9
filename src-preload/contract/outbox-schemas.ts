import './zod-setup'
import { z } from 'zod'

/**
 * The outbox as the renderer sees it: PHI-free summaries (no report or comment text), so every
 * submission can show its state until it is delivered. Mirrors core/outbox's summary, validated again
 * here so main cannot push anything outside the contract to the page.
 */
export const OutboxEntryKindSchema = z.enum(['report', 'comment', 'report-attachment'])
export const OutboxEntryStateSchema = z.enum(['queued', 'sending', 'delivered', 'held'])
export type OutboxEntryState = z.infer<typeof OutboxEntryStateSchema>

const idText = z.string().min(1).max(512)
const epochMs = z.number().int().nonnegative()

export const OutboxEntryViewSchema = z.object({
  id: idText,
  kind: OutboxEntryKindSchema,
  domain: idText,
  appointmentId: idText,
  state: OutboxEntryStateSchema,
  reportStatus: z.enum(['preliminary', 'final']).nullable(),
  attempts: z.number().int().nonnegative(),
  /** Why a held entry waits for a person (a code, e.g. `not-pending`, `conflict`, `connection-changed`). */
  heldReason: z.string().max(64).nullable(),
  /** Facts for the person about the hold; never PHI. */
  heldDetail: z.string().max(2000).nullable(),
  /** PHI-free description of the last failure, for support (with the request and correlation ids). */
  lastError: z
    .object({
      code: z.string().max(128),
      status: z.number().int().optional(),
      title: z.string().max(500).optional(),
      requestId: z.string().max(256).optional(),
      correlationId: z.string().max(256).optional(),
    })
    .nullable(),
  blockedByHeld: z.boolean(),
  nextAttemptAt: epochMs.nullable(),
  createdAt: epochMs,
  updatedAt: epochMs,
  deliveredAt: epochMs.nullable(),
  exportedAt: epochMs.nullable(),
  discardedAt: epochMs.nullable(),
})
export type OutboxEntryView = z.infer<typeof OutboxEntryViewSchema>

export const OutboxEntryIdSchema = idText

export const OutboxExportSchema = z.object({
  entry: OutboxEntryViewSchema,
  /** Where main wrote the export (a file only this user can read). */
  path: z.string().min(1).max(4096),
})
export type OutboxExport = z.infer<typeof OutboxExportSchema>

export const OutboxChangedSchema = z.object({
  entryId: idText,
  state: OutboxEntryStateSchema,
})
export type OutboxChanged = z.infer<typeof OutboxChangedSchema>
