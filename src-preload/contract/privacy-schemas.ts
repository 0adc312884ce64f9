import './zod-setup'
import { z } from 'zod'

/** Why main asks the renderer to lock: the OS locked or is suspending, the person was idle, or asked. */
export const LockReasonSchema = z.enum(['os-lock', 'suspend', 'idle', 'user'])
export type LockReason = z.infer<typeof LockReasonSchema>

export const LockRequestedSchema = z.strictObject({ reason: LockReasonSchema })
export type LockRequested = z.infer<typeof LockRequestedSchema>

/**
 * "Wipe local data": the renderer's cache key (so every sealed Dexie table is cleared at the next open),
 * and main's in-memory caches always; the outbox only when asked AND nothing in it is still waiting
 * (every entry delivered, or exported) — otherwise the wipe is `refused` naming how many. Exported files
 * are never wiped: an export may be the only copy of a report QUBS did not take.
 */
export const WipeRequestSchema = z.strictObject({ includeOutbox: z.boolean() })
export type WipeRequest = z.infer<typeof WipeRequestSchema>

export const WipedItemSchema = z.enum(['renderer-cache-key', 'main-caches', 'outbox'])
export type WipedItem = z.infer<typeof WipedItemSchema>

export const WipeResultSchema = z.strictObject({ wiped: z.array(WipedItemSchema) })
export type WipeResult = z.infer<typeof WipeResultSchema>
