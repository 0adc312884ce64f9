import { createHash, timingSafeEqual } from 'node:crypto'
import { QubsError } from '../api/errors'
import { MAX_UPLOAD_BYTES } from '../api/validation'
import { AttachmentPresenceSchema, DownloadAnswerSchema, type DeliveryPort } from './delivery-port'

/**
 * What QUBS holds for an attachment GUID whose PUT may have landed (its answer was lost, or the process
 * died before recording it). Only the content itself is evidence: QUBS lists an attachment with a `url`
 * "when available", and the reference does not promise that a URL means the content exists (storage may
 * presign a GET of an object that is not there). So a non-null url is followed and the bytes behind it
 * compared with the stored ones by SHA-256.
 *
 * - `same-content`: the stored bytes are there; the upload happened.
 * - `absent`: nothing is there (no such attachment, url null, or storage answers 403/404/410 for it).
 * - `other-content`: something else is there (a truncated or foreign object): not our upload.
 *
 * Anything else (no answer, a 5xx, an unreadable answer) is thrown, for the caller to retry the check.
 */
export type UploadEvidence = 'same-content' | 'absent' | 'other-content'

export interface UploadTarget {
  readonly domain: string
  readonly appointmentId: string
  readonly guid: string
}

/** Storage refusals that mean "no such object" for a presigned GET (S3 says 403 without list rights). */
const ABSENT_CONTENT_STATUSES = new Set([403, 404, 410])
/** Storage cannot hold more than one PUT's limit; room to spare so a larger object still compares. */
const MAX_VERIFIED_BYTES = 2 * MAX_UPLOAD_BYTES

export async function findUploadedContent(
  port: DeliveryPort,
  target: Readonly<UploadTarget>,
  expected: Uint8Array,
  signal: AbortSignal,
): Promise<UploadEvidence> {
  const { domain, appointmentId, guid } = target
  let listed: unknown
  try {
    listed = await port.getAttachment(domain, appointmentId, guid, { signal })
  } catch (error) {
    // A 404 for a gone appointment is told by the URL request that follows.
    if (isStatus(error, new Set([404])) && !signal.aborted) return 'absent'
    throw error
  }
  const presence = AttachmentPresenceSchema.safeParse(listed)
  if (!presence.success) throw new QubsError({ kind: 'invalid-response' })
  if (!presence.data.url) return 'absent'
  let downloaded: unknown
  try {
    downloaded = await port.downloadAttachment(domain, appointmentId, guid, {
      signal,
      maxBytes: MAX_VERIFIED_BYTES,
    })
  } catch (error) {
    if (isStatus(error, ABSENT_CONTENT_STATUSES) && !signal.aborted) return 'absent'
    throw error
  }
  const content = DownloadAnswerSchema.safeParse(downloaded)
  if (!content.success) throw new QubsError({ kind: 'invalid-response' })
  return timingSafeEqual(sha256(content.data.bytes), sha256(expected)) ? 'same-content' : 'other-content'
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest()
}

function isStatus(error: unknown, statuses: ReadonlySet<number>): boolean {
  return (
    error instanceof QubsError &&
    error.kind === 'http' &&
    error.status !== undefined &&
    statuses.has(error.status)
  )
}
