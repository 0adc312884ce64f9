import { z } from 'zod'
import { MAX_REPORT_ATTACHMENTS } from '../../../src-preload/contract/report-limits'
import { OutboxError, type OutboxContext } from './context'

/**
 * At most MAX_REPORT_ATTACHMENTS files per report, counted where every way in meets (the CLI and the
 * page both enqueue here): the appointment's attachment entries that were not discarded — queued,
 * held or delivered alike, since each one is (or will be) a file on the report in QUBS. Run inside the
 * enqueue's transaction, so two enqueues cannot both take the last place. The message names the
 * limit and counts only.
 */
const CountRowSchema = z.object({ count: z.number().int().nonnegative() })

export function requireAttachmentRoom(context: OutboxContext, domain: string, appointmentId: string): void {
  const row = context.statements
    .prepare(
      `SELECT COUNT(*) AS count FROM entries
       WHERE kind = 'report-attachment' AND domain = ? AND appointment_id = ? AND discarded_at IS NULL`,
    )
    .get(domain, appointmentId)
  const { count } = CountRowSchema.parse(row)
  if (count >= MAX_REPORT_ATTACHMENTS) {
    throw new OutboxError(
      'invalid-input',
      `invalid submission (a report takes at most ${MAX_REPORT_ATTACHMENTS} files; appointment ${appointmentId} has ${count} already)`,
    )
  }
}
