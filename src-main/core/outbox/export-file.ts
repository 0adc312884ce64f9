/**
 * Export of an entry for the person: plaintext JSON with the report or comment text (and attachment
 * bytes as base64), so that a held submission can be read, copied or sent by other means. The file is
 * the person's, on a path they chose; it is the one place the outbox writes PHI unencrypted.
 *
 * The content is exported exactly as it decrypts — raw JSON, not re-parsed with today's schema — so an
 * entry written by another version (an unknown field, a field this version would refuse) can always be
 * got out. The metadata is read from the row leniently for the same reason.
 */

/** What decrypted: the payload's JSON (or its text when it is not JSON) and the attachment bytes. */
export interface ExportContent {
  readonly payload: unknown
  /** Null for reports and comments; `unreadable` when an attachment's bytes did not decrypt. */
  readonly bytes: Uint8Array | 'unreadable' | null
}

const CONTENT_KEY = { report: 'report', comment: 'comment', 'report-attachment': 'attachment' } as const

/** How the outbox shows the entry (a partly damaged row is shown held `unreadable`), when it can. */
export interface ShownState {
  readonly state: string
  readonly heldReason: string | null
  readonly heldDetail: string | null
}

export function buildExportDocument(
  raw: Record<string, unknown>,
  shown: ShownState | null,
  content: ExportContent,
  now: number,
): string {
  const kind = typeof raw.kind === 'string' && raw.kind in CONTENT_KEY ? raw.kind : 'unknown'
  const key = CONTENT_KEY[kind as keyof typeof CONTENT_KEY] ?? 'content'
  const attachmentBytes =
    content.bytes === null
      ? {}
      : content.bytes === 'unreadable'
        ? { bytesUnreadable: true }
        : {
            byteLength: content.bytes.byteLength,
            bytesBase64: Buffer.from(content.bytes).toString('base64'),
          }
  const body =
    content.bytes === null
      ? content.payload
      : {
          ...(isObject(content.payload) ? content.payload : { payload: content.payload }),
          ...attachmentBytes,
        }
  return `${JSON.stringify(
    {
      format: 'qubs-reporter/outbox-export/v1',
      exportedAt: new Date(now).toISOString(),
      entry: { ...exportMetadata(raw, kind), ...(shown ?? {}) },
      [key]: body,
    },
    null,
    2,
  )}\n`
}

/** The entry's PHI-free columns as stored (kind, where, key, state, reason, binding, times). */
function exportMetadata(raw: Record<string, unknown>, kind: string) {
  const text = (value: unknown) => (typeof value === 'string' ? value : null)
  const time = (value: unknown) =>
    typeof value === 'number' && Number.isSafeInteger(value) ? new Date(value).toISOString() : null
  return {
    id: text(raw.id),
    kind,
    domain: text(raw.domain),
    appointmentId: text(raw.appointment_id),
    idempotencyKey: text(raw.idempotency_key),
    submissionKey: text(raw.submission_key),
    connection: {
      tokenUrl: text(raw.bound_token_url),
      apiBaseUrl: text(raw.bound_api_base_url),
      clientId: text(raw.bound_client_id),
    },
    state: text(raw.state),
    reportStatus: text(raw.report_status),
    heldReason: text(raw.held_reason),
    heldDetail: text(raw.held_detail),
    attempts: typeof raw.attempts === 'number' ? raw.attempts : null,
    createdAt: time(raw.created_at),
    updatedAt: time(raw.updated_at),
    heldAt: time(raw.held_at),
    deliveredAt: time(raw.delivered_at),
    discardedAt: time(raw.discarded_at),
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
