import { inTransaction } from './database'
import type { OutboxContext } from './context'

/**
 * PHI retention. A delivered entry's text and bytes are needed only while the person may still want to
 * look at what went out; after `phiRetentionMs` they are purged (the columns set to NULL, overwritten
 * on disk by secure_delete, and the WAL checkpointed so old pages do not linger there either). The
 * PHI-free metadata and attempts stay for the audit view until `metadataRetentionMs`.
 *
 * Held and queued entries are never purged by time: they are not delivered, and their text is the
 * person's work. An entry discarded with force (no export) keeps its encrypted content until
 * `phiRetentionMs` after the discard, then goes the same way.
 */
export interface RetentionOptions {
  /** Default 24 h. */
  readonly phiRetentionMs?: number
  /** Default 30 days. */
  readonly metadataRetentionMs?: number
}

/**
 * Where the engine reads retention from at each housekeeping pass: fixed options, or a function (the
 * app's: the person's `privacy.retentionDays` as it is now, so a change applies without a restart).
 */
export type RetentionSource = Readonly<RetentionOptions> | (() => Readonly<RetentionOptions>)

export const DAY_MS = 24 * 60 * 60 * 1000

/** The outbox's retention for `privacy.retentionDays`: PHI after that many days, metadata ≥ 30 days. */
export function retentionForDays(days: number): Readonly<RetentionOptions> {
  const phiRetentionMs = days * DAY_MS
  return { phiRetentionMs, metadataRetentionMs: Math.max(DEFAULT_METADATA_RETENTION_MS, phiRetentionMs) }
}

export interface PurgeResult {
  readonly phiPurged: number
  readonly metadataDeleted: number
}

export const DEFAULT_PHI_RETENTION_MS = 24 * 60 * 60 * 1000
export const DEFAULT_METADATA_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

export type WipeOutcome = { readonly wiped: true } | { readonly wiped: false; readonly waiting: number }

/**
 * Deletes every entry and its attempts ("wipe local data"), but only when nothing is still waiting:
 * queued or sending entries, and held ones the person has neither exported nor discarded, are their
 * unsent work — then nothing is deleted and the count is returned. Checked and deleted in one
 * transaction, so an entry enqueued meanwhile cannot slip through.
 */
export function wipeFinished(context: OutboxContext): WipeOutcome {
  const { db, statements, logger } = context
  let count = 0
  const outcome = inTransaction(db, (): WipeOutcome => {
    const waiting = Number(
      statements
        .prepare(
          `SELECT COUNT(*) AS n FROM entries WHERE state IN ('queued', 'sending')
             OR (state = 'held' AND exported_at IS NULL AND discarded_at IS NULL)`,
        )
        .get()?.n ?? 0,
    )
    if (waiting > 0) return { wiped: false, waiting }
    statements.prepare('DELETE FROM attempts').run()
    count = Number(statements.prepare('DELETE FROM entries').run().changes)
    return { wiped: true }
  })
  if (outcome.wiped) {
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    // Deleted rows have no summary to announce: the wipe's caller re-reads the (now empty) list.
    logger.info('outbox wiped', { count })
  }
  return outcome
}

export function purgeExpired(context: OutboxContext, options: Readonly<RetentionOptions>): PurgeResult {
  const { db, statements, clock, logger } = context
  const now = clock.now()
  const phiCutoff = now - (options.phiRetentionMs ?? DEFAULT_PHI_RETENTION_MS)
  const metadataCutoff = now - (options.metadataRetentionMs ?? DEFAULT_METADATA_RETENTION_MS)
  const purgedIds: string[] = []
  const result = inTransaction(db, () => {
    const due = statements
      .prepare(
        `SELECT id FROM entries WHERE purged_at IS NULL AND (
           (state = 'delivered' AND delivered_at IS NOT NULL AND delivered_at <= ?)
           OR (discarded_at IS NOT NULL AND discarded_at <= ?))`,
      )
      .all(phiCutoff, phiCutoff)
    const purge = statements.prepare(
      'UPDATE entries SET payload = NULL, attachment_bytes = NULL, purged_at = ?, updated_at = ? WHERE id = ?',
    )
    for (const row of due) {
      const id = String(row.id)
      purge.run(now, now, id)
      purgedIds.push(id)
    }
    // Only finished entries lose their metadata: delivered ones, and held ones the person discarded.
    const deleted = statements
      .prepare(
        `DELETE FROM entries WHERE purged_at IS NOT NULL AND updated_at <= ?
           AND (state = 'delivered' OR discarded_at IS NOT NULL)`,
      )
      .run(metadataCutoff)
    return { phiPurged: due.length, metadataDeleted: Number(deleted.changes) }
  })
  if (result.phiPurged > 0 || result.metadataDeleted > 0) {
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    logger.info('outbox purged', { count: result.phiPurged, attempts: result.metadataDeleted })
  }
  for (const id of purgedIds) context.notify('changed', id)
  return result
}
