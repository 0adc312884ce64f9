import type { ConnectionSettings } from '../api/settings'
import { parseRow, type OutboxContext } from './context'
import type { EntryRow } from './entry-row'
import { rowsBoundElsewhere } from './lane-queries'

/**
 * Every entry is bound at enqueue to the connection it was written for — token URL, API base URL,
 * client id and its domain — and is sent nowhere else: a report queued against host A must not reach
 * host B because the settings changed while it waited. An entry whose binding no longer matches is
 * held as `connection-changed`, naming what changed (no PHI: URLs, ids and the domain only); the person
 * retries it (re-bound to the current connection as a new submission with a new key) or exports it.
 */
export type ConnectionPart = 'token URL' | 'API base URL' | 'client id' | 'domain'

export interface Binding {
  readonly bound_token_url: string | null
  readonly bound_api_base_url: string | null
  readonly bound_client_id: string | null
}

/** The columns that bind an entry to `connection`. */
export function bindingOf(connection: ConnectionSettings): Binding {
  return {
    bound_token_url: connection.tokenUrl,
    bound_api_base_url: connection.apiBaseUrl,
    bound_client_id: connection.clientId,
  }
}

/** What differs between the entry's binding and `connection`; `unbound` for rows written before binding. */
export function bindingMismatch(
  row: Binding & Pick<EntryRow, 'domain'>,
  connection: ConnectionSettings,
): readonly ConnectionPart[] | 'unbound' {
  if (row.bound_token_url === null || row.bound_api_base_url === null || row.bound_client_id === null)
    return 'unbound'
  const changed: ConnectionPart[] = []
  if (row.bound_token_url !== connection.tokenUrl) changed.push('token URL')
  if (row.bound_api_base_url !== connection.apiBaseUrl) changed.push('API base URL')
  if (row.bound_client_id !== connection.clientId) changed.push('client id')
  if (!connection.domains.includes(row.domain)) changed.push('domain')
  return changed
}

const WHAT_TO_DO =
  'It is not sent there. Retry it to send it to the current connection as a new submission, or export it.'

export function connectionChangedDetail(mismatch: readonly ConnectionPart[] | 'unbound'): string {
  if (mismatch === 'unbound') {
    return `Written before entries were bound to a QUBS connection, so where it was meant to go is unknown. ${WHAT_TO_DO}`
  }
  const parts = mismatch.map((part) => (part === 'domain' ? 'domain (no longer configured)' : part))
  return `Queued for another QUBS connection: the ${parts.join(', ')} changed since. ${WHAT_TO_DO}`
}

/**
 * Holds every queued entry bound to another connection than the current one. Run at open and before
 * every scheduling pass, so such an entry is never handed to the sender. Without a current connection
 * nothing is held (nothing is sent either). SQL picks the candidates on the binding columns, so a pass
 * with nothing to hold parses nothing; each candidate is parsed and judged by `bindingMismatch`, and one
 * that does not parse is left as it is (the drain reports it as unreadable and never sends it).
 */
export function holdEntriesOfOtherConnections(
  context: OutboxContext,
  hold: (entryId: string, detail: string) => void,
): number {
  const connection = context.connection
  if (connection === null) return 0
  let held = 0
  for (const raw of rowsBoundElsewhere(context.db, connection)) {
    const parsed = parseRow(raw)
    if (!parsed.ok || parsed.row.state !== 'queued') continue
    const mismatch = bindingMismatch(parsed.row, connection)
    if (mismatch !== 'unbound' && mismatch.length === 0) continue
    hold(parsed.row.id, connectionChangedDetail(mismatch))
    held += 1
  }
  return held
}
