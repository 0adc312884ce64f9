import { useEffect } from 'react'
import type { CacheSession } from '../../db/cache-session'
import type { DraftSubmission } from '../../db/drafts'
import { useOutboxStore } from '../outbox'
import { useEditorStore, type DraftTarget, type SurfaceState } from './editor-store'

/**
 * Watches the outbox for the reports queued from this draft: each one seen delivered is noted in the
 * draft (a delivered final makes it read-only). The draft is never deleted here — it stays until the
 * appointment leaves the worklist (cache purge).
 */
export function useDeliveryWatch(
  session: CacheSession,
  target: DraftTarget,
  submissions: readonly DraftSubmission[],
  readSurface: () => SurfaceState,
) {
  const entries = useOutboxStore((s) => s.entries)
  const newlyDelivered = submissions
    .filter((s) => !s.delivered && entries.some((e) => e.id === s.entryId && e.state === 'delivered'))
    .map((s) => s.entryId)
    .join(' ')
  const { domain, appointmentId } = target
  useEffect(() => {
    if (!newlyDelivered) return
    void (async () => {
      for (const entryId of newlyDelivered.split(' '))
        await useEditorStore
          .getState()
          .noteDelivered(session, { domain, appointmentId }, entryId, readSurface())
    })()
    // readSurface reads the field at the moment it runs; it is not a reason to run again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [newlyDelivered, session, domain, appointmentId])
}
