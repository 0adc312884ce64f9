import type { Connectivity } from '../../../../src-preload/contract'

const LABEL = {
  online: 'Online',
  offline: 'Offline',
  'credentials-refused': 'Credentials refused',
  unknown: 'Connecting…',
} as const

/**
 * The connection as main judges it, whether a refresh is running, when the last one succeeded and how
 * many submissions wait in the outbox. A `status` region, so screen readers announce changes.
 */
export function StatusIndicator({
  connectivity,
  syncing,
  waiting,
  onOpenOutbox,
}: Readonly<{ connectivity: Connectivity | null; syncing: boolean; waiting: number; onOpenOutbox(): void }>) {
  const state = connectivity?.state ?? 'unknown'
  const last = connectivity?.lastSuccessAt
  return (
    <div className="status-bar">
      <div role="status" aria-label="Connection" className={`status status-${syncing ? 'syncing' : state}`}>
        <span className="dot" aria-hidden="true" />
        <span className="status-label">{syncing ? `Syncing · ${LABEL[state]}` : LABEL[state]}</span>
        <span className="status-detail">
          {last ? `last refresh ${new Date(last).toLocaleTimeString()}` : 'never refreshed'}
          {connectivity?.detail ? ` · ${connectivity.detail}` : ''}
        </span>
      </div>
      <button type="button" className="outbox-count" onClick={onOpenOutbox} aria-keyshortcuts="O">
        Outbox: {waiting} waiting
      </button>
    </div>
  )
}
