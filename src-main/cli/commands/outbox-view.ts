import type { OutboxEntrySummary } from '../../core/outbox'

/** The `--json` shape of an outbox entry: PHI-free, stable for scripts. */
export function entryJson(entry: OutboxEntrySummary) {
  return {
    id: entry.id,
    kind: entry.kind,
    appointmentId: entry.appointmentId,
    domain: entry.domain,
    idempotencyKey: entry.idempotencyKey,
    state: entry.state,
    attempts: entry.attempts,
    lastError: entry.lastError,
    heldReason: entry.heldReason,
    reportStatus: entry.reportStatus,
    createdAt: new Date(entry.createdAt).toISOString(),
    deliveredAt: entry.deliveredAt === null ? null : new Date(entry.deliveredAt).toISOString(),
  }
}

/** A one-line description for people: what, where, and its state with the ids support needs. */
export function describeEntry(entry: OutboxEntrySummary): string {
  const what = entry.kind === 'report' ? `${entry.reportStatus ?? ''} report`.trim() : entry.kind
  const where = `${entry.domain}/${entry.appointmentId}`
  const base = `${what} for ${where} (entry ${entry.id})`
  switch (entry.state) {
    case 'delivered':
      return `${base}: delivered`
    case 'held':
      return `${base}: held (${entry.heldReason ?? 'unknown reason'})${errorIds(entry)}; retry with "outbox retry ${entry.id}" or export it`
    case 'sending':
      return `${base}: sending; will be resumed with the same key`
    case 'queued':
      return `${base}: queued${entry.lastError ? `; last attempt failed${errorIds(entry)}` : ''}${entry.blockedByHeld ? '; waits behind a held entry of the same appointment' : ''}`
  }
}

export function errorIds(entry: OutboxEntrySummary): string {
  const error = entry.lastError
  if (!error) return ''
  const parts = [error.status ? `status ${error.status}` : error.code]
  if (error.requestId) parts.push(`requestId ${error.requestId}`)
  if (error.correlationId) parts.push(`correlation id ${error.correlationId}`)
  return ` [${parts.join(', ')}]`
}
