import { createFileDurably } from '../../common/durable-file'
import { columnAad } from './column-cipher'
import { OutboxError, requireRawRow, summaryOf, type OutboxContext } from './context'
import { inTransaction } from './database'
import { buildExportDocument, type ExportContent, type ShownState } from './export-file'
import type { OutboxEntrySummary } from './schemas'

/**
 * What a person does with a held entry besides retrying it: export its content, then discard it.
 *
 * - Export works whenever the content DECRYPTS: the raw JSON is written, never re-parsed with today's
 *   schema (a payload from another version must still come out).
 * - Discard is allowed once an export succeeded (`exported_at`, committed after the file was synced);
 *   then the PHI columns are purged at once, since the person holds a copy. Without an export only
 *   `force` discards, and it keeps the encrypted copy until retention purges it (counted from the
 *   discard), so a mistaken force can still be undone by support with an export.
 */
export interface DiscardOptions {
  /** Discard without a prior export; the encrypted content stays until retention. */
  readonly force?: boolean
}

export async function exportEntry(
  context: OutboxContext,
  entryId: string,
  filePath: string,
): Promise<OutboxEntrySummary> {
  const raw = requireRawRow(context, entryId)
  const content = decryptForExport(context, raw)
  const document = buildExportDocument(raw, shownState(context, entryId), content, context.clock.now())
  try {
    // Never over an existing file: another entry's export there may be the only copy of its text.
    await createFileDurably(filePath, document)
  } catch (error) {
    throw new OutboxError('export-failed', `outbox entry ${entryId} could not be exported`, entryId, error)
  }
  const now = context.clock.now()
  inTransaction(context.db, () => {
    context.statements
      .prepare('UPDATE entries SET exported_at = ?, updated_at = ? WHERE id = ?')
      .run(now, now, entryId)
  })
  context.logger.info('entry exported', { entryId })
  context.notify('changed', entryId)
  return summaryOf(context, entryId)
}

export async function discardHeld(
  context: OutboxContext,
  entryId: string,
  options: Readonly<DiscardOptions>,
): Promise<OutboxEntrySummary> {
  // Summarised like list() shows it: a row with a damaged record counts as held `unreadable`.
  const summary = summaryOf(context, entryId)
  if (summary.state !== 'held' || summary.discardedAt !== null) {
    throw new OutboxError('bad-state', `outbox entry ${entryId} is not an open held entry`, entryId)
  }
  const force = options.force === true
  if (summary.exportedAt === null && !force) {
    throw new OutboxError(
      'bad-state',
      `outbox entry ${entryId} must be exported before it is discarded (or discarded with force)`,
      entryId,
    )
  }
  const now = context.clock.now()
  inTransaction(context.db, () => {
    if (force && summary.exportedAt === null) {
      context.statements
        .prepare('UPDATE entries SET discarded_at = ?, updated_at = ? WHERE id = ?')
        .run(now, now, entryId)
    } else {
      context.statements
        .prepare(
          `UPDATE entries SET discarded_at = ?, purged_at = ?, payload = NULL, attachment_bytes = NULL,
             updated_at = ? WHERE id = ?`,
        )
        .run(now, now, now, entryId)
    }
  })
  context.logger.info('held entry discarded', { entryId, code: force ? 'forced' : 'exported' })
  context.notify('changed', entryId)
  return summaryOf(context, entryId)
}

function shownState(context: OutboxContext, entryId: string): ShownState | null {
  try {
    const { state, heldReason, heldDetail } = summaryOf(context, entryId)
    return { state, heldReason, heldDetail }
  } catch {
    return null // too damaged to summarise: the stored columns are exported as they are
  }
}

/** Decrypts the PHI columns for export; `purged` when they are gone, `unreadable` when they do not decrypt. */
function decryptForExport(context: OutboxContext, raw: Record<string, unknown>): ExportContent {
  const id = typeof raw.id === 'string' ? raw.id : ''
  const blob = (value: unknown) => (value instanceof Uint8Array ? value : null)
  const payload = blob(raw.payload)
  if (payload === null || (raw.purged_at !== null && raw.purged_at !== undefined)) {
    throw new OutboxError('purged', `outbox entry ${id} no longer holds its content`, id)
  }
  let text: string
  try {
    // The ciphertext is bound to the id (AAD): a damaged id cannot decrypt someone else's content.
    text = context.cipher.decryptText(payload, columnAad(id, 'payload'))
  } catch (error) {
    throw new OutboxError('unreadable', `outbox entry ${id} payload failed to decrypt`, id, error)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = text
  }
  const stored = blob(raw.attachment_bytes)
  if (raw.kind !== 'report-attachment' && stored === null) return { payload: json, bytes: null }
  if (stored === null) return { payload: json, bytes: 'unreadable' }
  try {
    return {
      payload: json,
      bytes: new Uint8Array(context.cipher.decrypt(stored, columnAad(id, 'attachment_bytes'))),
    }
  } catch {
    return { payload: json, bytes: 'unreadable' }
  }
}
