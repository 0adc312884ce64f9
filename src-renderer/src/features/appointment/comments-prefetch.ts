import type { AppointmentKey } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import type { CacheSession } from '../../db/cache-session'
import { putCachedComments } from '../../db/comments-cache'

/**
 * After a worklist refresh, fetch the comments and alerts of the most urgent appointments into the
 * encrypted cache, so the worklist's comment/alert badge is right before anyone opens them (an alert
 * such as "phone urgent findings" matters most before reading) and they are there offline. Bounded:
 * the first `limit` keys, two requests at a time; one appointment that fails (gone, offline) is
 * skipped, never fatal. Never rejects: it runs in the background after a refresh. Resolves with how
 * many were cached.
 */
export const COMMENTS_PREFETCH_LIMIT = 50
const CONCURRENCY = 2

export async function prefetchComments(
  session: CacheSession,
  keys: readonly AppointmentKey[],
  options: Readonly<{ limit?: number; now?: () => number }> = {},
): Promise<number> {
  const queue = keys.slice(0, options.limit ?? COMMENTS_PREFETCH_LIMIT)
  const now = options.now ?? Date.now
  let api: ReturnType<typeof getBridge>
  try {
    api = getBridge()
  } catch {
    return 0 // no bridge (the page is closing, or was not opened by the app): nothing to fetch
  }
  let cached = 0
  const worker = async () => {
    for (let key = queue.shift(); key; key = queue.shift()) {
      try {
        const comments = await api.listComments(key.domain, key.appointmentId)
        await putCachedComments(session, key.domain, key.appointmentId, comments, now())
        cached += 1
      } catch {
        // Offline, gone from the list, or a cache write failed: the badge stays as it was.
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return cached
}
