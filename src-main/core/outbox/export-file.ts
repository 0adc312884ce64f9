import type { EntryPayload, OutboxEntrySummary } from './schemas'

/**
 * Export of an entry for the person: plaintext JSON with the report or comment text (and attachment
 * bytes as base64), so that a held submission can be read, copied or sent by other means. The file is
 * the person's, on a path they chose; it is the one place the outbox writes PHI unencrypted.
 */
export function buildExportDocument(summary: OutboxEntrySummary, payload: EntryPayload, now: number): string {
  const content =
    payload.kind === 'report'
      ? { report: payload.report }
      : payload.kind === 'comment'
        ? { comment: payload.comment }
        : {
            attachment: {
              ...payload.attachment,
              byteLength: payload.bytes.byteLength,
              bytesBase64: Buffer.from(payload.bytes).toString('base64'),
            },
          }
  return `${JSON.stringify(
    {
      format: 'qubs-reporter/outbox-export/v1',
      exportedAt: new Date(now).toISOString(),
      entry: summary,
      ...content,
    },
    null,
    2,
  )}\n`
}
