import { useEffect } from 'react'
import { useCacheSession } from '../../ui/session-context'
import { useNow } from '../../ui/use-now'
import { AttachmentsPanel } from '../attachments'
import { ReportEditor, starterSurface } from '../editor'
import { AppointmentDetails } from './AppointmentDetails'
import { useAppointmentStore } from './appointment-store'
import { CommentsPanel } from './CommentsPanel'
import { PatientBanner } from './PatientBanner'
import { OpenImagesButton } from './OpenImagesButton'

export interface AppointmentScreenProps {
  readonly domain: string
  readonly appointmentId: string
  readonly timeZoneOf: (domain: string, site: string | null) => string | null
  onBack(): void
}

/** One appointment: banner, details, clinical info, comments, attachments and the report editor. */
export function AppointmentScreen({ domain, appointmentId, timeZoneOf, onBack }: AppointmentScreenProps) {
  const session = useCacheSession()
  const { view, comments, loading, notice, open } = useAppointmentStore()
  const now = useNow(30_000)
  useEffect(() => {
    void open(session, domain, appointmentId)
  }, [session, domain, appointmentId, open])

  const shown = view && view.domain === domain && view.appointmentId === appointmentId ? view : null
  return (
    <article className="appointment" aria-label="Appointment">
      <div className="toolbar">
        <button type="button" onClick={onBack} aria-keyshortcuts="Escape">
          ← Worklist
        </button>
        <OpenImagesButton domain={domain} appointmentId={appointmentId} />
        {loading && <span className="muted">Updating from QUBS…</span>}
      </div>
      {/* The banner first, always: the notice about a stale copy comes below the patient it is about. */}
      {shown && <PatientBanner view={shown} now={now} />}
      {notice && (
        <p role="alert" className="warning">
          {notice}
        </p>
      )}
      {!shown && !loading && !notice && <p className="muted">Nothing cached for this appointment.</p>}
      {shown && (
        <>
          <div className="appointment-body">
            <div className="appointment-main">
              <section className="clinical" aria-labelledby="clinical-title">
                <h3 id="clinical-title">Clinical information</h3>
                <p className="clinical-text">{shown.clinicalInfo || 'None given.'}</p>
              </section>
              <AttachmentsPanel domain={domain} appointmentId={appointmentId} />
              <ReportEditor view={shown} now={now} starter={starterSurface} />
            </div>
            <aside className="appointment-side">
              <CommentsPanel domain={domain} appointmentId={appointmentId} comments={comments} />
              <AppointmentDetails view={shown} timeZone={timeZoneOf(domain, shown.scheduledSite)} now={now} />
            </aside>
          </div>
        </>
      )}
    </article>
  )
}
