import type { AppointmentKey, OutboxEntryView } from '../../../../src-preload/contract'
import type { CacheSession } from '../../db/cache-session'
import { prefetchComments } from '../appointment/comments-prefetch'
import { useOutboxStore } from '../outbox'
import { useWorklistStore } from '../worklist'

/** Comments that reached QUBS since the previous outbox state (not those already delivered at start). */
function newlyDeliveredComments(now: readonly OutboxEntryView[], before: readonly OutboxEntryView[]) {
  const was = new Map(before.map((e) => [e.id, e.state]))
  return now.filter(
    (e) => e.kind === 'comment' && e.state === 'delivered' && was.has(e.id) && was.get(e.id) !== 'delivered',
  )
}

/** Caches these appointments' comments and, when any arrived, re-reads the worklist's badges. */
export function refreshCommentBadges(session: CacheSession, keys: readonly AppointmentKey[]) {
  return prefetchComments(session, keys).then((cached) =>
    cached > 0 ? useWorklistStore.getState().reloadBadges(session) : undefined,
  )
}

/**
 * Keeps the worklist's comment/alert badges current while the app runs: when a comment the radiologist
 * added is delivered, that appointment's comments are fetched into the cache again and the badges
 * re-read — so the count is right without a restart. Returns the unsubscribe.
 */
export function watchCommentBadges(session: CacheSession): () => void {
  return useOutboxStore.subscribe((now, before) => {
    const delivered = newlyDeliveredComments(now.entries, before.entries)
    if (!delivered.length) return
    const keys = delivered.map((e) => ({ domain: e.domain, appointmentId: e.appointmentId }))
    void refreshCommentBadges(session, keys)
  })
}
