import type { DraftSubmission } from '../../db/drafts'
import { stateText, useOutboxStore } from '../outbox'
import { useEditorStore } from './editor-store'

/** Each report queued from this draft with its live outbox state, oldest first, and its files. */
export function SubmissionList({ submissions }: Readonly<{ submissions: readonly DraftSubmission[] }>) {
  const entries = useOutboxStore((s) => s.entries)
  const outcomes = useEditorStore((s) => s.attachmentOutcomes)
  const submitError = useEditorStore((s) => s.submitError)
  return (
    <>
      {submitError && (
        <p role="alert" className="error">
          Not sent: {submitError}
        </p>
      )}
      {submissions.length > 0 && (
        <ol className="submissions" aria-label="Submitted reports">
          {submissions.map((s) => {
            const entry = entries.find((e) => e.id === s.entryId)
            const state = entry?.state ?? (s.delivered ? 'delivered' : 'queued')
            return (
              <li key={s.entryId} data-state={state} className={`state-${state}`}>
                {s.reportStatus === 'final' ? 'Final report' : 'Preliminary report'}:{' '}
                {entry ? stateText(entry) : state}
                {entry?.heldReason ? ` — held: ${entry.heldReason}. Open the outbox to resolve it.` : ''}
              </li>
            )
          })}
        </ol>
      )}
      {outcomes.length > 0 && (
        <ul className="submissions" aria-label="Report files">
          {outcomes.map((o, i) => {
            const entry = o.entryId ? entries.find((e) => e.id === o.entryId) : undefined
            return (
              <li
                key={`${o.fileName}-${i}`}
                className={o.error ? 'error' : `state-${entry?.state ?? 'queued'}`}
              >
                {o.fileName}: {o.error ? `not sent — ${o.error}` : entry ? stateText(entry) : 'queued'}
              </li>
            )
          })}
        </ul>
      )}
    </>
  )
}
