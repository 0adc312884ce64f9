import { columnAad } from './column-cipher'
import { OutboxError, type OutboxContext } from './context'
import type { EntryRow } from './entry-row'
import {
  CommentSubmissionSchema,
  FrozenAttachmentMetaSchema,
  FrozenReportSchema,
  type EntryPayload,
} from './schemas'

/**
 * Decrypts an entry's PHI columns and parses them back into the frozen payload. The bytes that go on the
 * wire are rebuilt from exactly what was frozen at enqueue; nothing is re-derived from the clock or
 * from newer settings. Failures are `unreadable` errors carrying the entry id and a code only.
 */
export function decryptPayload(
  context: Pick<OutboxContext, 'cipher'>,
  row: Pick<EntryRow, 'id' | 'kind'> & {
    readonly payload: Uint8Array | null
    readonly attachment_bytes: Uint8Array | null
  },
): EntryPayload {
  if (row.payload === null) throw new OutboxError('purged', `outbox entry ${row.id} holds no content`, row.id)
  let json: unknown
  try {
    json = JSON.parse(context.cipher.decryptText(row.payload, columnAad(row.id, 'payload')))
  } catch (error) {
    throw new OutboxError('unreadable', `outbox entry ${row.id} payload failed to decrypt`, row.id, error)
  }
  switch (row.kind) {
    case 'report': {
      const report = FrozenReportSchema.safeParse(json)
      if (!report.success) throw shapeError(row.id)
      return { kind: 'report', report: report.data }
    }
    case 'comment': {
      const comment = CommentSubmissionSchema.safeParse(json)
      if (!comment.success) throw shapeError(row.id)
      return { kind: 'comment', comment: comment.data }
    }
    case 'report-attachment': {
      const attachment = FrozenAttachmentMetaSchema.safeParse(json)
      if (!attachment.success || row.attachment_bytes === null) throw shapeError(row.id)
      let bytes: Uint8Array
      try {
        bytes = new Uint8Array(
          context.cipher.decrypt(row.attachment_bytes, columnAad(row.id, 'attachment_bytes')),
        )
      } catch (error) {
        throw new OutboxError(
          'unreadable',
          `outbox entry ${row.id} attachment failed to decrypt`,
          row.id,
          error,
        )
      }
      return { kind: 'report-attachment', attachment: attachment.data, bytes }
    }
  }
}

function shapeError(entryId: string): OutboxError {
  return new OutboxError('unreadable', `outbox entry ${entryId} payload has an invalid shape`, entryId)
}
