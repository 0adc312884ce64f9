import type { AppointmentView, UserRefView } from '../../../../src-preload/contract'
import { formatCountdown, formatInstantIn, formatSiteTime, parseInstant } from '../../ui/time-format'

const userText = (u: UserRefView | null) =>
  u ? [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username || u.initials || '—' : '—'

/** A field QUBS added later, as text; an empty one (null, absent) as a dash like every other field. */
const json = (value: unknown) =>
  value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value)

/** Every field of the appointment, including service items, the radiologist and fields QUBS added later. */
export function AppointmentDetails({
  view,
  timeZone,
  now,
}: Readonly<{ view: AppointmentView; timeZone: string | null; now: number }>) {
  const deadline = parseInstant(view.reportNeededBy)
  const fields: [string, string][] = [
    ['Status', view.status ?? '—'],
    ['Priority', view.priority ?? '—'],
    [
      'Report needed by',
      deadline === null
        ? (view.reportNeededBy ?? '—')
        : `${formatInstantIn(deadline, timeZone)} (${deadline < now ? 'overdue by ' : 'in '}${formatCountdown(deadline, now).replace('\u2212', '')})`,
    ],
    ['Modality', view.modality ?? '—'],
    ['Study', view.studyDescription ?? '—'],
    ['Site', view.scheduledSite ?? '—'],
    ['Site time zone', timeZone ?? 'unknown'],
    ['Start', formatSiteTime(view.appointmentDate, view.startTime, timeZone)],
    ['End', view.endTime ? formatSiteTime(view.appointmentDate, view.endTime, timeZone) : '—'],
    ['Referring doctor', view.doctorName ?? '—'],
    ['Clinic', view.clinicName ?? '—'],
    ['Radiologist', userText(view.radiologistUser)],
    ['Study instance UID', view.studyInstanceUid ?? '—'],
    ...Object.entries(view.extra).map(([k, v]): [string, string] => [k, json(v)]),
  ]
  return (
    <section className="details" aria-labelledby="details-title">
      <h3 id="details-title">Appointment</h3>
      <dl className="field-list">
        {fields.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h4>Service items</h4>
      {view.serviceItems && view.serviceItems.length > 0 ? (
        <ul className="service-items">
          {view.serviceItems.map((item, i) => (
            <li key={i}>{serviceItemText(item)}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">None listed.</p>
      )}
    </section>
  )
}

/** Service items have no documented shape: show their fields as `name: value` pairs. */
function serviceItemText(item: unknown): string {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    return Object.entries(item)
      .map(([k, v]) => `${k}: ${json(v)}`)
      .join(' · ')
  }
  return json(item)
}
