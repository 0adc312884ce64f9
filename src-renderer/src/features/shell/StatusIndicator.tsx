import type { Connectivity } from '../../../../src-preload/contract'

const LABEL = {
  online: 'Online',
  offline: 'Offline',
  'credentials-refused': 'Credentials refused',
  unknown: 'Connecting…',
} as const

/**
 * The connection as main judges it, whether a refresh is running and when the last one succeeded (the
 * entries waiting are on the header's Outbox tab). A `status` region, so screen readers announce changes.
 */
export function StatusIndicator({
  connectivity,
  lastRefreshAt,
  syncing,
}: Readonly<{
  connectivity: Connectivity | null
  /** The worklist's last successful refresh (every domain answered), not main's last request of any kind. */
  lastRefreshAt: number | null
  syncing: boolean
}>) {
  const state = connectivity?.state ?? 'unknown'
  const last = lastRefreshAt
  const when = last ? `last refresh ${new Date(last).toLocaleTimeString()}` : 'never refreshed'
  const detail = connectivity?.detail
  return (
    <div className="status-bar">
      <div
        role="status"
        aria-label="Connection"
        className={`status status-${syncing ? 'syncing' : state}`}
        // The reason would wrap the header at 1366 px: it is in the tooltip and read out, not shown.
        title={detail ? `${when} · ${detail}` : when}
      >
        <span className="dot" aria-hidden="true" />
        <span className="status-label">{syncing ? `Syncing · ${LABEL[state]}` : LABEL[state]}</span>
        <span className="status-detail">{when}</span>
        {detail && <span className="visually-hidden"> · {detail}</span>}
      </div>
    </div>
  )
}
