import { useEffect, useRef, useState } from 'react'
import type { AppointmentView, NewReport, ReportStatus } from '../../../../src-preload/contract'
import { useSettingsStore } from '../../stores/settings-store'
import { PatientBanner } from '../appointment/PatientBanner'
import type { ReportFile } from './editor-store'

/** One pre-submit check as the dialog shows it: blocking ones block, warnings are confirmed one by one. */
export interface SubmitCheck {
  readonly id: string
  readonly blocking: boolean
  readonly title: string
  readonly explanation: string
}

export interface SubmitDialogProps {
  readonly view: AppointmentView
  readonly now: number
  readonly status: ReportStatus
  readonly text: string
  readonly files: readonly ReportFile[]
  readonly checks: readonly SubmitCheck[]
  onCancel(): void
  onConfirm(report: NewReport): Promise<void>
}

/**
 * The last look before a report leaves: the patient banner again (the guard against the wrong
 * patient), what will be sent and as whom, and every pre-submit check explained. Nothing is sent
 * while a blocking check fails or a warning is not confirmed. The submission key is minted when the
 * dialog opens, so a double press of Send queues the report once.
 */
export function SubmitDialog(props: SubmitDialogProps) {
  const { view, now, status, text, files, checks, onCancel, onConfirm } = props
  const clinician = useSettingsStore((s) => s.settings.clinician)
  const [submissionKey] = useState(() => crypto.randomUUID())
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(new Set())
  const [sending, setSending] = useState(false)
  const cancelRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    cancelRef.current?.focus()
    return () => previous?.focus()
  }, [])
  const blocking = checks.filter((c) => c.blocking)
  const warnings = checks.filter((c) => !c.blocking)
  const ready = blocking.length === 0 && warnings.every((w) => confirmed.has(w.id)) && !sending
  const label = status === 'final' ? 'final' : 'preliminary'

  const send = async () => {
    if (!ready) return
    setSending(true)
    try {
      await onConfirm({
        reportText: text,
        reportStatus: status,
        clinician,
        reportedAtUtc: new Date().toISOString(),
        submissionKey,
      })
    } finally {
      setSending(false)
    }
  }

  return (
    <div className="overlay">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="submit-title"
        className="dialog submit-dialog"
        // The shell's keys (W, N, Escape = back to the worklist) must not act behind the dialog.
        onKeyDown={(e) => {
          e.stopPropagation()
          if (e.key === 'Escape') onCancel()
        }}
      >
        <h2 id="submit-title">Submit the {label} report?</h2>
        <PatientBanner view={view} now={now} />
        <p className="submit-study">
          {[view.modality, view.studyDescription].filter(Boolean).join(' · ') || 'No study description'}
        </p>
        <dl className="submit-stamp">
          <dt>Signed as</dt>
          <dd>
            {[clinician.name, clinician.providerNumber, clinician.email].filter(Boolean).join(' · ') ||
              'No clinician details in Settings'}
          </dd>
          <dt>Files</dt>
          <dd>{files.length === 0 ? 'None' : files.map((f) => f.fileName).join(', ')}</dd>
        </dl>
        {checks.length === 0 ? (
          <p className="check-ok">Every pre-submit check passed.</p>
        ) : (
          <ul className="checks" aria-label="Pre-submit checks">
            {blocking.map((c) => (
              <li key={c.id} className="check check-blocking">
                <strong>Blocks sending: {c.title}</strong>
                <p>{c.explanation}</p>
              </li>
            ))}
            {warnings.map((c) => (
              <li key={c.id} className="check check-warning">
                <label>
                  <input
                    type="checkbox"
                    checked={confirmed.has(c.id)}
                    onChange={(e) =>
                      setConfirmed((now) => {
                        const next = new Set(now)
                        if (e.target.checked) next.add(c.id)
                        else next.delete(c.id)
                        return next
                      })
                    }
                  />{' '}
                  <strong>Warning: {c.title}</strong> — I checked this, send anyway
                </label>
                <p>{c.explanation}</p>
              </li>
            ))}
          </ul>
        )}
        {!ready && !sending && (
          <p className="send-hint">
            {blocking.length > 0
              ? 'Fix what blocks sending, then submit again.'
              : 'Confirm each warning to send.'}
          </p>
        )}
        <div className="dialog-buttons">
          <button ref={cancelRef} type="button" onClick={onCancel}>
            Back to the report
          </button>
          <button type="button" className="primary" disabled={!ready} onClick={() => void send()}>
            {sending ? 'Queueing…' : `Send ${label} report`}
          </button>
        </div>
      </div>
    </div>
  )
}
