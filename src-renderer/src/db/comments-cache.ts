import { z } from 'zod'
import { CommentViewSchema, type CommentView } from '../../../src-preload/contract'
import type { CacheSession } from './cache-session'
import { appointmentRowKey, type AppointmentRowKey } from './database'
import { openJson, sealJson } from './sealed-json'

const CommentListSchema = z.array(CommentViewSchema)

/** Comments and alerts of one appointment, sealed; the counts stay in clear for the worklist badge. */
export async function putCachedComments(
  session: CacheSession,
  domain: string,
  appointmentId: string,
  comments: readonly CommentView[],
  now: number,
) {
  const key = appointmentRowKey(domain, appointmentId)
  const sealed = await sealJson(session, 'comments', key, comments)
  const alertCount = comments.filter((c) => c.isAlert).length
  await session.db.comments.put({
    key,
    domain,
    appointmentId,
    fetchedAt: now,
    commentCount: comments.length - alertCount,
    alertCount,
    sealed,
  })
}

export async function getCachedComments(
  session: CacheSession,
  domain: string,
  appointmentId: string,
): Promise<CommentView[] | null> {
  const key = appointmentRowKey(domain, appointmentId)
  const row = await session.db.comments.get(key)
  return row ? openJson(session, 'comments', key, row.sealed, CommentListSchema) : null
}

export interface CommentCounts {
  readonly comments: number
  readonly alerts: number
}

/** Badge counts for every appointment with cached comments, without decrypting any of them. */
export async function listCommentCounts(
  session: CacheSession,
): Promise<Map<AppointmentRowKey, CommentCounts>> {
  const counts = new Map<AppointmentRowKey, CommentCounts>()
  await session.db.comments.each((row) =>
    counts.set(row.key, { comments: row.commentCount, alerts: row.alertCount }),
  )
  return counts
}

/** Deletes the cached comments of every appointment not in `keep`; answers how many were deleted. */
export async function deleteCachedCommentsExcept(
  session: CacheSession,
  keep: ReadonlySet<AppointmentRowKey>,
): Promise<number> {
  return session.db.comments.filter((row) => !keep.has(row.key)).delete()
}
