import type { OutboxEntryView } from '../../../src-preload/contract'
import type { CacheSession } from './cache-session'
import { appointmentRowKey, type AppointmentRowKey } from './database'

/**
 * Retention of PHI in the renderer's offline copy (`privacy.retentionDays`). Run at start and after
 * every refresh. What goes:
 * - appointment views, comments and attachment lists fetched longer ago than the retention, and cached
 *   attachment files (with their bytes) cached longer ago — each is fetched again when opened;
 * - worklist rows QUBS no longer lists as pending, unless a draft or a waiting submission keeps them;
 * - drafts older than the retention whose report was delivered and whose appointment left the worklist.
 * A draft without a delivered report is the person's unsent work and is never purged by age.
 */
export const DAY_MS = 24 * 60 * 60 * 1000

export interface RetentionInput {
  readonly now: number
  readonly retentionDays: number
  /** The outbox as main lists it (newest first): which reports were delivered, which entries wait. */
  readonly outbox: readonly OutboxEntryView[]
}

export interface RetentionPurge {
  readonly appointments: number
  readonly comments: number
  readonly attachmentLists: number
  readonly attachmentFiles: number
  readonly worklistRows: number
  readonly drafts: number
}

export async function purgeExpiredCache(
  session: CacheSession,
  input: RetentionInput,
): Promise<RetentionPurge> {
  const { db } = session
  const cutoff = input.now - input.retentionDays * DAY_MS
  const waiting = new Set<AppointmentRowKey>()
  const delivered = new Set<AppointmentRowKey>()
  for (const entry of input.outbox) {
    const key = appointmentRowKey(entry.domain, entry.appointmentId)
    if (entry.state !== 'delivered' && entry.discardedAt === null) waiting.add(key)
    else if (entry.kind === 'report' && entry.state === 'delivered') delivered.add(key)
  }
  return db.transaction(
    'rw',
    [
      db.appointments,
      db.comments,
      db.attachmentLists,
      db.attachmentFiles,
      db.attachmentBytes,
      db.worklist,
      db.drafts,
    ],
    async () => {
      const appointments = await db.appointments.where('fetchedAt').below(cutoff).delete()
      const comments = await db.comments.where('fetchedAt').below(cutoff).delete()
      const attachmentLists = await db.attachmentLists.where('fetchedAt').below(cutoff).delete()
      const oldFiles = await db.attachmentFiles.filter((file) => file.cachedAt < cutoff).primaryKeys()
      await db.attachmentBytes.bulkDelete(oldFiles)
      await db.attachmentFiles.bulkDelete(oldFiles)
      const pending = new Set(await db.worklist.where('pending').equals(1).primaryKeys())
      const draftKeys = new Set(await db.drafts.toCollection().primaryKeys())
      const expiredDrafts = await db.drafts
        .filter((draft) => draft.updatedAt < cutoff && delivered.has(draft.key) && !pending.has(draft.key))
        .primaryKeys()
      await db.drafts.bulkDelete(expiredDrafts)
      for (const key of expiredDrafts) draftKeys.delete(key)
      const goneRows = await db.worklist
        .where('pending')
        .equals(0)
        .filter((row) => !draftKeys.has(row.key) && !waiting.has(row.key))
        .primaryKeys()
      await db.worklist.bulkDelete(goneRows)
      return {
        appointments,
        comments,
        attachmentLists,
        attachmentFiles: oldFiles.length,
        worklistRows: goneRows.length,
        drafts: expiredDrafts.length,
      }
    },
  )
}
