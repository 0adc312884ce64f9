import type { OutboxEntrySummary } from '../core/outbox'
import type { ConnectivityState, DrainResult } from '../core/sync'

/**
 * What a script and a person need to know after a submission or a sync: whether anything needs a
 * person, and — when entries wait — why. Every line names entries by id, never by content.
 */

/** Last-error codes that mean QUBS refused who we are: no retry fixes them, a person must. */
const CREDENTIAL_REFUSALS = new Set(['auth', 'http-401', 'http-403'])

/**
 * Why a queued or held entry needs a person, or undefined when it is delivered or safely waiting for
 * the next sync. The message says it IS queued, so that nobody runs the command a second time.
 */
export function needsPersonMessage(entry: OutboxEntrySummary): string | undefined {
  const what = entry.kind === 'report' ? 'report' : entry.kind
  if (entry.state === 'held') {
    return (
      `QUBS refused the ${what} definitively (held: ${entry.heldReason ?? 'unknown reason'}), but it IS kept in ` +
      `the outbox (entry ${entry.id}): see "outbox", then "outbox retry ${entry.id}" or export it; do not submit it again`
    )
  }
  if (entry.state !== 'delivered' && entry.lastError && CREDENTIAL_REFUSALS.has(entry.lastError.code)) {
    return (
      `QUBS refused the credentials (${entry.lastError.code}), but it IS queued (entry ${entry.id}): fix the ` +
      'client id / secret (or the domain), then run "sync"; do not submit it again'
    )
  }
  return undefined
}

/** Last-error codes that mean no answer came back from QUBS. */
const NO_ANSWER = new Set(['network', 'timeout'])

/**
 * The line `sync` prints when entries are left: unreachable, timed out, or waiting for back-off.
 * Unreachable is what the engine saw in this run or, when nothing was due to be tried, what the last
 * attempt of every waiting entry saw.
 */
export function describeWaiting(
  outcome: DrainResult,
  connectivity: ConnectivityState,
  entries: readonly OutboxEntrySummary[],
  waited: boolean,
): string | undefined {
  if (outcome.idle) return undefined
  const waiting = entries.filter((entry) => entry.state === 'queued' || entry.state === 'sending')
  const unreachable =
    connectivity.state === 'offline' ||
    (connectivity.state === 'unknown' &&
      waiting.length > 0 &&
      waiting.every((entry) => entry.lastError !== null && NO_ANSWER.has(entry.lastError.code)))
  const count = Number.isFinite(outcome.remaining) ? outcome.remaining : undefined
  const counted =
    count === undefined ? 'entries wait' : `${count} entr${count === 1 ? 'y waits' : 'ies wait'}`
  if (unreachable) return `QUBS unreachable; ${counted}`
  if (waited) return `timed out; ${counted}`
  return `${counted} for the next attempt (back-off); "sync --wait" keeps trying`
}
