import { useEffect, useMemo } from 'react'
import type { OutboxEntryView } from '../../../../src-preload/contract'
import { appointmentRowKey } from '../../db/database'
import { useWorklistStore } from '../worklist'
import { useOutboxStore } from './outbox-store'

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString())

/**
 * Every submission the outbox holds, newest first, with its state; held entries show why and offer
 * Retry, Export and Discard (Discard only once exported, so nothing is thrown away unsaved).
 */
export function OutboxPanel({ onOpen }: Readonly<{ onOpen?: (domain: string, id: string) => void }>) {
  const { entries, loaded, error, notices, load, syncNow } = useOutboxStore()
  const worklist = useWorklistStore((s) => s.entries)
  const names = useMemo(() => patientNames(worklist, entries), [worklist, entries])
  useEffect(() => {
    void load()
  }, [load])

  return (
    <section className="outbox" role="region" aria-labelledby="outbox-title">
      <div className="outbox-head">
        <h2 id="outbox-title">Outbox</h2>
        <button type="button" onClick={() => void syncNow()}>
          Sync now
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {loaded && entries.length === 0 && <p className="muted">Nothing has been submitted yet.</p>}
      {entries.length > 0 && (
        <table className="outbox-table">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Appointment</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Created</th>
              <th scope="col">Last error</th>
              <th scope="col">Held because</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <OutboxRow
                key={entry.id}
                entry={entry}
                patient={names.get(appointmentRowKey(entry.domain, entry.appointmentId)) ?? null}
                notice={notices[entry.id]}
                onOpen={onOpen}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/**
 * Whose patient each entry is about, from the worklist in memory (the outbox stores no names: its
 * summaries are PHI-free). An appointment the worklist no longer keeps shows its ids alone.
 */
function patientNames(
  worklist: readonly { readonly key: string; readonly name: string }[],
  entries: readonly OutboxEntryView[],
): Map<string, string> {
  const wanted = new Set(entries.map((e) => appointmentRowKey(e.domain, e.appointmentId)))
  const names = new Map<string, string>()
  for (const row of worklist) if (wanted.has(row.key)) names.set(row.key, row.name)
  return names
}

function OutboxRow({
  entry,
  patient,
  notice,
  onOpen,
}: Readonly<{
  entry: OutboxEntryView
  patient: string | null
  notice: string | undefined
  onOpen?: (d: string, id: string) => void
}>) {
  const { retry, exportEntry, discard } = useOutboxStore()
  const held = entry.state === 'held' && entry.discardedAt === null
  // Once delivered, an earlier failed attempt no longer matters: showing it reads as a problem.
  const e = entry.state === 'delivered' ? null : entry.lastError
  const where = `${patient ? `${patient} · ` : ''}${entry.domain} / ${entry.appointmentId}`
  return (
    <tr data-state={entry.state} aria-label={`${entry.kind} for ${entry.appointmentId}: ${stateText(entry)}`}>
      <td>
        {entry.kind}
        {entry.reportStatus ? ` (${entry.reportStatus})` : ''}
      </td>
      <td>
        {onOpen ? (
          <button type="button" className="link" onClick={() => onOpen(entry.domain, entry.appointmentId)}>
            {where}
          </button>
        ) : (
          where
        )}
      </td>
      <td>
        <span className={`state state-${entry.state}`}>{stateText(entry)}</span>
      </td>
      <td>{entry.attempts}</td>
      <td>{when(entry.createdAt)}</td>
      <td className="mono">
        {e
          ? [
              e.code,
              e.status,
              e.title,
              e.requestId && `request ${e.requestId}`,
              e.correlationId && `correlation ${e.correlationId}`,
            ]
              .filter(Boolean)
              .join(' · ')
          : '—'}
      </td>
      <td>
        {entry.heldReason ?? (entry.blockedByHeld ? 'waiting behind a held entry' : '—')}
        {entry.heldDetail && <div className="detail">{entry.heldDetail}</div>}
      </td>
      <td className="actions">
        {held && (
          <>
            <button type="button" onClick={() => void retry(entry.id)}>
              Retry
            </button>
            <button type="button" onClick={() => void exportEntry(entry.id)}>
              Export
            </button>
            <button
              type="button"
              disabled={entry.exportedAt === null}
              title={entry.exportedAt === null ? 'Export it first: discarding drops its text' : undefined}
              onClick={() => void discard(entry.id)}
            >
              Discard
            </button>
          </>
        )}
        {notice && (
          <div className="detail" role="status">
            {notice}
          </div>
        )}
      </td>
    </tr>
  )
}

export function stateText(entry: OutboxEntryView): string {
  if (entry.discardedAt !== null) return 'discarded'
  if (entry.state === 'delivered') return `delivered ${when(entry.deliveredAt)}`
  if (entry.state === 'queued' && entry.nextAttemptAt !== null)
    return `queued, next try ${when(entry.nextAttemptAt)}`
  return entry.state
}
