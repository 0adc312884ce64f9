import type { AppointmentKey } from '../../../../src-preload/contract'
import { deleteCachedAppointmentsExcept } from '../../db/appointment-cache'
import type { CacheSession } from '../../db/cache-session'
import { deleteCachedCommentsExcept } from '../../db/comments-cache'
import { deleteDeliveredDraftsNotIn } from '../../db/drafts'
import { appointmentRowKey } from '../../db/database'

/**
 * Bounded PHI on disk: drops the cached appointment views, comments and delivered drafts of every appointment not in
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
    // A delivered report's draft stays read-only until its appointment leaves the worklist.
    deleteDeliveredDraftsNotIn(session, keep),
  ])
  return results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0)
}
