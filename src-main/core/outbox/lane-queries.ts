import type { DatabaseSync } from 'node:sqlite'
import { statementsOf } from './statement-cache'
import type { ConnectionSettings } from '../api/settings'

/**
 * The drain's per-fill questions, answered in SQL over the clear (PHI-free) columns so that a fill costs
 * what it hands out, not what is queued (issue 14). The lane rules are `orderingLane`'s: the reports of
 * one appointment share a lane; a comment or a report attachment is a lane of its own. A row is "open"
 * while it is not delivered and not discarded, and the first open row of a lane is its head, whatever
 * its state: a held (or unreadable) head blocks the rows behind it.
 *
 * These queries only choose candidates; the caller still zod-parses every row it acts on, so a row that
 * fails to parse is never sent and never skipped silently.
 */

/** The clear columns a lane is computed from (see `laneOfColumns`). */
export type LaneColumns = Record<string, unknown>

const OPEN = (alias: string) => `${alias}.state IS NOT 'delivered' AND ${alias}.discarded_at IS NULL`
const OWN_LANE = (alias: string) => `${alias}.kind IN ('comment', 'report-attachment')`

/** An earlier open report of the same appointment exists (the `entries_open_by_lane` index answers it). */
const EARLIER_IN_LANE = (extra: string) => `EXISTS (
  SELECT 1 FROM entries p WHERE p.domain = e.domain AND p.appointment_id = e.appointment_id AND p.seq < e.seq
    AND ${OPEN('p')} AND NOT ${OWN_LANE('p')} ${extra})`

const IS_LANE_HEAD = `(${OWN_LANE('e')} OR NOT ${EARLIER_IN_LANE('')})`

const LANE_COLUMNS = 'e.seq, e.id, e.kind, e.domain, e.appointment_id'

/**
 * Lane heads that are queued and due at `now`, in enqueue order, read lazily: the caller stops once its
 * workers are full. A head whose due time is not an integer is returned too (it cannot be compared, so
 * it is damaged): parsing it reports it as unreadable instead of letting its lane wait unseen.
 */
export const DUE_LANE_HEADS_SQL = `SELECT ${LANE_COLUMNS} FROM entries e
  WHERE e.state = 'queued' AND e.discarded_at IS NULL
    AND (e.next_attempt_at <= ? OR typeof(e.next_attempt_at) IS NOT 'integer')
    AND ${IS_LANE_HEAD}
  ORDER BY e.seq`

export function dueLaneHeads(db: DatabaseSync, now: number): Iterable<LaneColumns> {
  return statementsOf(db).iterate(DUE_LANE_HEADS_SQL, now)
}

/** Queued lane heads, soonest due first (read lazily: the caller wants the first readable one). */
export function queuedLaneHeadsByDueTime(db: DatabaseSync): Iterable<LaneColumns> {
  return statementsOf(db).iterate(
    `SELECT ${LANE_COLUMNS} FROM entries e
       WHERE e.state = 'queued' AND e.discarded_at IS NULL AND ${IS_LANE_HEAD}
       ORDER BY e.next_attempt_at, e.seq`,
  )
}

/**
 * Queued or sending reports behind a held or unreadable earlier report of their appointment (the
 * unreadable rows are given by their `seq`: only parsing tells them, and they are not counted
 * themselves). Driven from the blocking heads (the first held or unreadable open report of each
 * appointment, normally none), CROSS JOIN keeping them the outer loop: its cost is what is blocked, not
 * what is queued — it runs for every progress event. The inner rows are `OPEN` as well as queued or
 * sending (implied, but SQLite uses the partial `entries_open_by_lane` only when its WHERE is spelled
 * out): without it, each blocking head walked every later queued row of every appointment.
 */
export const COUNT_BLOCKED_SQL = `SELECT COUNT(*) AS n FROM (
    SELECT h.domain, h.appointment_id, MIN(h.seq) AS first FROM entries h
    WHERE ${OPEN('h')} AND NOT ${OWN_LANE('h')}
      AND (h.state = 'held' OR h.seq IN (SELECT value FROM json_each(?)))
    GROUP BY h.domain, h.appointment_id
  ) b CROSS JOIN entries e ON e.domain = b.domain AND e.appointment_id = b.appointment_id AND e.seq > b.first
  WHERE e.state IN ('queued', 'sending') AND ${OPEN('e')} AND NOT ${OWN_LANE('e')}
    AND e.seq NOT IN (SELECT value FROM json_each(?))`

export function countBlocked(db: DatabaseSync, unreadableSeqs: readonly number[]): number {
  const unreadable = JSON.stringify(unreadableSeqs)
  const row = statementsOf(db).prepare(COUNT_BLOCKED_SQL).get(unreadable, unreadable)
  return Number(row?.n ?? 0)
}

/**
 * Queued rows whose binding columns do not match `connection` (or are missing), in enqueue order: the
 * candidates for `connection-changed`, checked at open. Normally none, so nothing is parsed.
 */
export function rowsBoundElsewhere(
  db: DatabaseSync,
  connection: ConnectionSettings,
): Record<string, unknown>[] {
  return statementsOf(db)
    .prepare(
      `SELECT * FROM entries
       WHERE state = 'queued' AND discarded_at IS NULL AND (
         bound_token_url IS NULL OR bound_api_base_url IS NULL OR bound_client_id IS NULL
         OR bound_token_url IS NOT ? OR bound_api_base_url IS NOT ? OR bound_client_id IS NOT ?
         OR domain NOT IN (SELECT value FROM json_each(?)))
       ORDER BY seq`,
    )
    .all(connection.tokenUrl, connection.apiBaseUrl, connection.clientId, JSON.stringify(connection.domains))
}

/** The whole row (for parsing) of a candidate the queries above returned. */
export function rawRowBySeq(db: DatabaseSync, seq: unknown): Record<string, unknown> | undefined {
  return statementsOf(db)
    .prepare('SELECT * FROM entries WHERE seq = ?')
    .get(typeof seq === 'number' ? seq : -1)
}
