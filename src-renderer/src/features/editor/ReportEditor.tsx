import { useEffect, useRef } from 'react'
import type { AppointmentView } from '../../../../src-preload/contract'
import { appointmentRowKey } from '../../db/database'
import { useCacheSession } from '../../ui/session-context'
import { useEditorStore, type SurfaceState } from './editor-store'
import { ReportSurface } from './ReportSurface'
import './editor.css'

export interface ReportEditorProps {
  readonly view: AppointmentView
  readonly now: number
  /** What an appointment without a draft starts with (the default template, or nothing). */
  readonly starter: (view: AppointmentView) => SurfaceState
}

/**
 * The report of one appointment: reads its draft (or starts from the default template), then mounts
 * the text surface once with it. A refreshed appointment view never re-mounts the field: only
 * another appointment does.
 */
export function ReportEditor({ view, now, starter }: ReportEditorProps) {
  const session = useCacheSession()
  const { domain, appointmentId } = view
  const key = appointmentRowKey(domain, appointmentId)
  const openKey = useEditorStore((s) => s.key)
  const initial = useEditorStore((s) => s.initial)
  // Read when the draft is opened, not a reason to open it again.
  const latest = useRef({ view, starter })
  useEffect(() => {
    latest.current = { view, starter }
  })
  useEffect(() => {
    const { view: current, starter: start } = latest.current
    void useEditorStore.getState().open(session, { domain, appointmentId }, start(current))
  }, [session, domain, appointmentId])

  return (
    <section className="report-editor" role="region" aria-labelledby="report-title">
      <h3 id="report-title">Report</h3>
      {openKey === key && initial ? (
        <ReportSurface key={key} view={view} now={now} initial={initial} />
      ) : (
        <p className="muted" aria-busy="true">
          Opening the draft…
        </p>
      )}
    </section>
  )
}
