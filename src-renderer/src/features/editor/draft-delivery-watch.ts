import type { OutboxEntryView } from '../../../../src-preload/contract'
import type { CacheSession } from '../../db/cache-session'
import { useOutboxStore } from '../outbox'
import { useEditorStore } from './editor-store'

/**
 * Records in each draft the delivery of the reports queued from it, whatever screen is open: a report
 * delivered after the person moved on (or while the app was closed) must still make its draft
 * delivered, or the worklist keeps its "✎ draft" and the cache purge never drops it. The open
 * appointment's own editor notes its deliveries itself, with the words on screen (`useDeliveryWatch`).
 * `onRecorded` runs once a batch changed any draft (the shell re-reads the worklist's badges). Returns
 * the unsubscribe.
 */
export function watchDraftDeliveries(session: CacheSession, onRecorded: () => void): () => void {
  // Each delivered entry is looked at once per run; one whose recording failed (or was left to its
  // open editor) is looked at again with the next outbox change.
  const seen = new Set<string>()
  const check = (entries: readonly OutboxEntryView[]) => {
    const fresh = entries.filter((e) => e.kind === 'report' && e.state === 'delivered' && !seen.has(e.id))
    if (fresh.length === 0) return
    for (const entry of fresh) seen.add(entry.id)
    void (async () => {
      let recorded = 0
      for (const entry of fresh) {
        try {
          const record = await useEditorStore.getState().recordDelivery(session, entry)
          if (record === 'recorded') recorded += 1
          // Its editor notes it; should that editor close first, the next outbox change looks again.
          if (record === 'editing') seen.delete(entry.id)
        } catch {
          seen.delete(entry.id)
        }
      }
      if (recorded > 0) onRecorded()
    })()
  }
  check(useOutboxStore.getState().entries)
  return useOutboxStore.subscribe((now, before) => {
    if (now.entries !== before.entries) check(now.entries)
  })
}
