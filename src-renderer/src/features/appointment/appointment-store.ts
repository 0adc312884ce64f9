import { create } from 'zustand'
import type { AppointmentView, CommentView, NewComment } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { getCachedAppointment, putCachedAppointment } from '../../db/appointment-cache'
import type { CacheSession } from '../../db/cache-session'
import { getCachedComments, putCachedComments } from '../../db/comments-cache'
import { errorMessage, ipcFailureOf } from '../../ui/error-message'
import { useOutboxStore } from '../outbox'
import { useWorklistStore, worklistViewOf } from '../worklist'

/**
 * The open appointment: shown at once from the worklist's row (it has the patient, so the banner is
 * there even offline for an appointment never opened here), then from the encrypted cache, then
 * refreshed from main; offline, the copy stays with a note saying so. Comments the person adds go through the outbox; their entry
 * ids are kept so the view can show each one's live state from the outbox store.
 */
interface AppointmentState {
  readonly key: string | null
  readonly view: AppointmentView | null
  readonly comments: readonly CommentView[] | null
  readonly loading: boolean
  /** Why the shown copy may be stale (offline, no longer pending); null when fresh. */
  readonly notice: string | null
  /** Outbox entry ids of the comments added from this view, newest first. */
  readonly submitted: readonly string[]
  readonly submitError: string | null
  open(session: CacheSession, domain: string, appointmentId: string): Promise<void>
  addComment(domain: string, appointmentId: string, comment: NewComment): Promise<boolean>
  /** Re-reads the comments from QUBS (after an added one was delivered) into the view and the cache. */
  reloadComments(session: CacheSession, domain: string, appointmentId: string): Promise<void>
}

/** Caches what QUBS listed; the worklist's comment/alert badge reads the cache, so it follows. */
async function cacheComments(
  session: CacheSession,
  domain: string,
  appointmentId: string,
  comments: readonly CommentView[],
) {
  await putCachedComments(session, domain, appointmentId, comments, Date.now())
  await useWorklistStore.getState().reloadBadges(session)
}

/**
 * Which open() is the latest: an earlier open of the same appointment (A, B, back to A fast) may answer
 * after it, with what QUBS sent then; only the latest open's answers are shown.
 */
let latestOpen = 0

export const useAppointmentStore = create<AppointmentState>((set, get) => ({
  key: null,
  view: null,
  comments: null,
  loading: false,
  notice: null,
  submitted: [],
  submitError: null,

  open: async (session, domain, appointmentId) => {
    const key = `${domain}/${appointmentId}`
    const opening = ++latestOpen
    const current = () => get().key === key && opening === latestOpen
    if (get().key !== key) {
      const fromWorklist = worklistViewOf(domain, appointmentId)
      set({ key, view: fromWorklist, comments: null, notice: null, submitted: [], submitError: null })
    }
    set({ loading: true })
    // The cache helps but is never required: a failed read shows what QUBS sends, a failed write
    // only means the next offline open has less.
    const [cachedView, cachedComments] = await Promise.all([
      getCachedAppointment(session, domain, appointmentId).catch(() => null),
      getCachedComments(session, domain, appointmentId).catch(() => null),
    ])
    if (!current()) return
    if (cachedView) set({ view: cachedView })
    if (cachedComments) set({ comments: cachedComments })
    // Without a bridge (the page torn down mid-open) both reads fail like any other: open() never rejects.
    const [view, comments] = await Promise.allSettled([
      Promise.resolve().then(() => getBridge().getAppointment(domain, appointmentId)),
      Promise.resolve().then(() => getBridge().listComments(domain, appointmentId)),
    ])
    await Promise.allSettled([
      view.status === 'fulfilled' && putCachedAppointment(session, view.value, Date.now()),
      comments.status === 'fulfilled' && cacheComments(session, domain, appointmentId, comments.value),
    ])
    if (!current()) return
    set({
      loading: false,
      ...(view.status === 'fulfilled' ? { view: view.value } : {}),
      ...(comments.status === 'fulfilled' ? { comments: comments.value } : {}),
      notice: view.status === 'rejected' ? staleNotice(view.reason, get().view !== null) : null,
    })
  },

  addComment: async (domain, appointmentId, comment) => {
    try {
      const entry = await getBridge().enqueueComment(domain, appointmentId, comment)
      useOutboxStore.getState().noteQueued(entry)
      set((s) => ({ submitted: [entry.id, ...s.submitted], submitError: null }))
      return true
    } catch (error) {
      set({ submitError: errorMessage(error) })
      return false
    }
  },

  reloadComments: async (session, domain, appointmentId) => {
    try {
      const comments = await getBridge().listComments(domain, appointmentId)
      if (get().key === `${domain}/${appointmentId}`) set({ comments })
      await cacheComments(session, domain, appointmentId, comments)
    } catch {
      // Offline again or a cache write failed: the next open or prefetch brings it.
    }
  },
}))

function staleNotice(reason: unknown, haveCopy: boolean): string {
  if (ipcFailureOf(reason)?.code === 'not-found') {
    return 'QUBS no longer lists this appointment as pending reporting.'
  }
  return haveCopy
    ? `Showing the copy saved on this workstation: ${errorMessage(reason)}`
    : `Could not load this appointment: ${errorMessage(reason)}`
}
