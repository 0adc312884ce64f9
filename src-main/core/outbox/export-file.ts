import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
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

/**
 * Write, fsync, rename, fsync the directory: a rename alone can be lost on power loss, leaving the
 * person with an empty file where they believed their report was. The temporary file is private (0600).
 */
export async function writeFileDurably(filePath: string, text: string): Promise<void> {
  const directory = dirname(filePath)
  const temporary = join(directory, `.${basename(filePath)}.${process.pid}.${Date.now()}.tmp`)
  const file = await open(temporary, 'wx', 0o600)
  try {
    await file.writeFile(text, 'utf8')
    await file.sync()
  } finally {
    await file.close()
  }
  try {
    await rename(temporary, filePath)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  await syncDirectory(directory)
}

async function syncDirectory(directory: string): Promise<void> {
  let handle
  try {
    handle = await open(directory, 'r')
    await handle.sync()
  } catch (error) {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
    if (process.platform !== 'win32') throw error
  } finally {
    await handle?.close()
  }
}
