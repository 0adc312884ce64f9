import type { AppointmentView } from '../../../../src-preload/contract'
import { displayName, formatAge } from '../../ui/time-format'

/**
 * The guard against reporting on the wrong patient: name, DOB with age, sex, patient id, appointment id
 * and domain, large and always at the top of the appointment.
 */
export function PatientBanner({ view, now }: Readonly<{ view: AppointmentView; now: number }>) {
  const age = formatAge(view.dateOfBirth, now)
  return (
    <section className="patient-banner" aria-label="Patient">
      <h2 className="patient-name">{displayName(view)}</h2>
      <dl>
        <Field label="DOB" value={view.dateOfBirth ? `${view.dateOfBirth}${age ? ` (${age})` : ''}` : '—'} />
        <Field label="Sex" value={view.gender ?? '—'} />
        <Field label="Patient ID" value={view.patientId ?? '—'} />
        <Field label="Appointment" value={view.appointmentId} />
        <Field label="Domain" value={view.domain} />
      </dl>
    </section>
  )
}

function Field({ label, value }: Readonly<{ label: string; value: string }>) {
  return (
    <div className="banner-field">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}
