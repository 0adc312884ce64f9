import type { DatabaseSync } from 'node:sqlite'
import type { Clock, Random } from '../../common/clock'
import type { Logger } from '../../common/logger'
import type { ConnectionSettings } from '../api/settings'
import type { ColumnCipher } from './column-cipher'
import type { StatementCache } from './statement-cache'
import {
  EntryRowSchema,
  orderingLane,
  salvageIds,
  salvageSummary,
  toSummary,
  type EntryRow,
} from './entry-row'
import type { CorruptEntryReport, OutboxEntrySummary } from './schemas'

/** What the outbox's parts share: the open database, the cipher, the injected ports, the notifier. */
export interface OutboxContext {
  readonly db: DatabaseSync
  /** The open database's prepared statements, each compiled once (see statement-cache.ts). */
  readonly statements: StatementCache
  readonly cipher: ColumnCipher
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger
  /** The QUBS connection configured now: entries are bound to it at enqueue and sent only to it. */
  readonly connection: ConnectionSettings | null
  /** Tells listeners an entry changed (after its transaction committed). */
  readonly notify: (type: OutboxChangeType, entryId: string) => void
}

export type OutboxChangeType = 'enqueued' | 'changed'

export interface OutboxChange {
  readonly type: OutboxChangeType
  readonly entry: OutboxEntrySummary
}

export class OutboxError extends Error {
  readonly code:
    | 'not-found'
    | 'bad-state'
    | 'invalid-input'
    | 'unreadable'
    | 'purged'
    | 'closed'
    | 'export-failed'
    /** The domain (or any connection) is not configured: nothing can be bound, nothing is queued. */
    | 'not-configured'
    /** The submission key was used for another submission: nothing is queued. */
    | 'key-conflict'
  readonly entryId: string | undefined

  constructor(code: OutboxError['code'], message: string, entryId?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'OutboxError'
    this.code = code
    this.entryId = entryId
  }
}

export type ParsedRow =
  | { readonly ok: true; readonly row: EntryRow }
  | { readonly ok: false; readonly report: CorruptEntryReport; readonly raw: Record<string, unknown> }

export function parseRow(raw: Record<string, unknown>): ParsedRow {
  const parsed = EntryRowSchema.safeParse(raw)
  if (parsed.success) return { ok: true, row: parsed.data }
  return { ok: false, raw, report: { ...salvageIds(raw), problem: 'row-shape' } }
}

/** The row as stored, unparsed; a `not-found` OutboxError when absent. */
export function requireRawRow(context: OutboxContext, entryId: string): Record<string, unknown> {
  const raw = context.statements.prepare('SELECT * FROM entries WHERE id = ?').get(entryId)
  if (raw === undefined) throw new OutboxError('not-found', `no outbox entry ${entryId}`, entryId)
  return raw
}

/** The raw row, parsed; null when absent. A row that fails to parse is an `unreadable` OutboxError. */
export function readRow(context: OutboxContext, entryId: string): EntryRow | null {
  const raw = context.statements.prepare('SELECT * FROM entries WHERE id = ?').get(entryId)
  if (raw === undefined) return null
  const parsed = parseRow(raw)
  if (!parsed.ok)
    throw new OutboxError('unreadable', `outbox entry ${entryId} could not be read back`, entryId)
  return parsed.row
}

export function requireRow(context: OutboxContext, entryId: string): EntryRow {
  const row = readRow(context, entryId)
  if (row === null) throw new OutboxError('not-found', `no outbox entry ${entryId}`, entryId)
  return row
}

/**
 * Every open (not delivered, not discarded) row in enqueue order, parsed. Rows that fail to parse are
 * kept in the list: the scheduler must treat them as blocking their appointment, not skip them.
 */
export function openRows(context: OutboxContext): ParsedRow[] {
  return context.statements
    .prepare("SELECT * FROM entries WHERE state IS NOT 'delivered' AND discarded_at IS NULL ORDER BY seq")
    .all()
    .map(parseRow)
}

/**
 * Whether the entry waits behind a held (or unreadable) earlier entry of its lane (see
 * `orderingLane`): a report behind an earlier report of the same appointment. A later final must never
 * overtake a held preliminary: QUBS keeps the last report submitted, so sending the final first and
 * the preliminary after the person fixes it would overwrite the final. Comments and attachments have
 * lanes of their own and are never blocked.
 */
export function isBlockedByHeld(
  context: OutboxContext,
  row: Pick<EntryRow, 'kind' | 'domain' | 'appointment_id' | 'seq'>,
): boolean {
  if (row.kind !== 'report') return false
  const lane = orderingLane(row.kind, row.domain, row.appointment_id, '')
  const earlier = context.statements
    .prepare(
      `SELECT * FROM entries WHERE domain = ? AND appointment_id = ? AND seq < ?
       AND state IS NOT 'delivered' AND discarded_at IS NULL ORDER BY seq`,
    )
    .all(row.domain, row.appointment_id, row.seq)
    .map(parseRow)
  return earlier.some((parsed) => laneOf(parsed) === lane && (!parsed.ok || parsed.row.state === 'held'))
}

/** The lane of a parsed or corrupt row; a row without a readable appointment gets a lane of its own. */
export function laneOf(parsed: ParsedRow): string {
  if (!parsed.ok) return laneOfColumns(parsed.raw)
  const { row } = parsed
  return orderingLane(row.kind, row.domain, row.appointment_id, row.id)
}

/**
 * The lane from the clear columns alone (`seq`, `id`, `kind`, `domain`, `appointment_id`), before any
 * parse: the same answer as `laneOf` for a row that parses and for one that does not.
 */
export function laneOfColumns(raw: Record<string, unknown>): string {
  const { seq, id, kind, domain, appointment_id: appointmentId } = raw
  if (typeof domain !== 'string' || typeof appointmentId !== 'string') {
    return `unreadable:${typeof seq === 'number' ? seq : -1}`
  }
  return orderingLane(
    typeof kind === 'string' ? kind : null,
    domain,
    appointmentId,
    typeof id === 'string' ? id : `row:${typeof seq === 'number' ? seq : -1}`,
  )
}

/**
 * The entry's summary. A row whose PHI-free columns are damaged still gets one (held, `unreadable`)
 * when its id, kind and appointment can be read, so the person sees it and can export or discard it;
 * only a row without even those is an `unreadable` OutboxError (and stays in `problems()`).
 */
export function summaryOf(context: OutboxContext, entryId: string): OutboxEntrySummary {
  const raw = requireRawRow(context, entryId)
  const parsed = parseRow(raw)
  if (parsed.ok) {
    const row = parsed.row
    return toSummary(
      row,
      row.state !== 'delivered' && row.discarded_at === null && isBlockedByHeld(context, row),
    )
  }
  const summary = salvageSummary(raw, (ids) => isBlockedByHeld(context, ids))
  if (summary === null) {
    throw new OutboxError('unreadable', `outbox entry ${entryId} could not be read back`, entryId)
  }
  return summary
}

/** Groups open rows by ordering lane, keeping enqueue order inside each group. */
export function groupByLane(rows: readonly ParsedRow[]): Map<string, ParsedRow[]> {
  const groups = new Map<string, ParsedRow[]>()
  for (const parsed of rows) {
    const key = laneOf(parsed)
    const group = groups.get(key)
    if (group) group.push(parsed)
    else groups.set(key, [parsed])
  }
  return groups
}
