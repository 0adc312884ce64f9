import { AppointmentViewSchema, type AppointmentView } from '../../../src-preload/contract'
import type { CacheSession } from './cache-session'
import { appointmentRowKey, type AppointmentRowKey } from './database'
import { openJson, sealJson } from './sealed-json'

/** The last appointment view fetched from QUBS, sealed, so the appointment opens offline. */
export async function putCachedAppointment(session: CacheSession, view: AppointmentView, now: number) {
  const key = appointmentRowKey(view.domain, view.appointmentId)
  const sealed = await sealJson(session, 'appointments', key, view)
  await session.db.appointments.put({
    key,
    domain: view.domain,
    appointmentId: view.appointmentId,
    fetchedAt: now,
    sealed,
  })
}

export async function getCachedAppointment(
  session: CacheSession,
  domain: string,
  appointmentId: string,
): Promise<AppointmentView | null> {
  const key = appointmentRowKey(domain, appointmentId)
  const row = await session.db.appointments.get(key)
  return row ? openJson(session, 'appointments', key, row.sealed, AppointmentViewSchema) : null
}

/** Deletes the cached views of every appointment not in `keep`; answers how many were deleted. */
export async function deleteCachedAppointmentsExcept(
  session: CacheSession,
  keep: ReadonlySet<AppointmentRowKey>,
): Promise<number> {
  return session.db.appointments.filter((row) => !keep.has(row.key)).delete()
}
