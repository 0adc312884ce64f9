import type { AppointmentKey } from '../../../../src-preload/contract'
import { deleteCachedAppointmentsExcept } from '../../db/appointment-cache'
import type { CacheSession } from '../../db/cache-session'
import { deleteCachedCommentsExcept } from '../../db/comments-cache'
import { appointmentRowKey } from '../../db/database'

/**
 * Bounded PHI on disk: drops the cached appointment views and comments of every appointment not in
 * `keys`. The shell calls it after a refresh in which every domain answered, with every appointment
 * the worklist still keeps (pending, or kept for a draft or an undelivered submission), as it does for
 * attachments. Never rejects (a failed delete is retried after the next refresh); answers how many
 * rows were dropped.
 */
export async function purgeAppointmentCacheNotIn(
  session: CacheSession,
  keys: readonly AppointmentKey[],
): Promise<number> {
  const keep = new Set(keys.map((key) => appointmentRowKey(key.domain, key.appointmentId)))
  const results = await Promise.allSettled([
    deleteCachedAppointmentsExcept(session, keep),
    deleteCachedCommentsExcept(session, keep),
  ])
  return results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0)
}
