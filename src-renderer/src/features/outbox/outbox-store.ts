import { create } from 'zustand'
import type { OutboxEntryView } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { errorMessage } from '../../ui/error-message'

/**
 * The outbox as main reports it (PHI-free summaries). Re-read whenever main says an entry changed, so
 * every submission shows its live state until delivered.
 */
interface OutboxState {
  readonly entries: readonly OutboxEntryView[]
  readonly loaded: boolean
  readonly error: string | null
  /** Per entry: the outcome of the last action (e.g. where an export was written). */
  readonly notices: Readonly<Record<string, string>>
  load(): Promise<void>
  /**
   * An entry main just queued (its answer to an enqueue): shown at once in every view of the outbox
   * (the header's count, the comment's or report's state), then re-read. A re-read asked before it
   * cannot know it, so only the latest re-read's answer is applied.
   */
  noteQueued(entry: OutboxEntryView): void
  /** Subscribes to `outboxChanged`; returns the unsubscribe. */
  watch(): () => void
  retry(id: string): Promise<void>
  exportEntry(id: string): Promise<void>
  discard(id: string): Promise<void>
  /** Asks main to try every waiting entry now. */
  syncNow(): Promise<void>
}

export const useOutboxStore = create<OutboxState>((set, get) => {
  // Which re-read is the latest: an older one landing after it would bring back a list without the
  // newer entries (as it was when main was asked).
  let latestRead = 0
  const act = async (id: string, run: () => Promise<string>) => {
    try {
      const notice = await run()
      set((s) => ({ notices: { ...s.notices, [id]: notice } }))
    } catch (error) {
      set((s) => ({ notices: { ...s.notices, [id]: errorMessage(error) } }))
    }
    await get().load()
  }
  return {
    entries: [],
    loaded: false,
    error: null,
    notices: {},
    load: async () => {
      const read = ++latestRead
      try {
        const entries = await getBridge().listOutbox()
        if (read === latestRead) set({ entries, loaded: true, error: null })
      } catch (error) {
        if (read === latestRead) set({ error: errorMessage(error) })
      }
    },
    noteQueued: (entry) => {
      set((s) => ({ entries: [...s.entries.filter((e) => e.id !== entry.id), entry] }))
      void get().load()
    },
    watch: () => getBridge().on('outboxChanged', () => void get().load()),
    retry: (id) =>
      act(id, async () => (await getBridge().retryOutboxEntry(id), 'Sent again as a new submission.')),
    exportEntry: (id) => act(id, async () => `Exported to ${(await getBridge().exportOutboxEntry(id)).path}`),
    discard: (id) => act(id, async () => (await getBridge().discardOutboxEntry(id), 'Discarded.')),
    syncNow: async () => {
      try {
        await getBridge().syncNow()
        set({ error: null })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
  }
})

/** Entries not yet delivered nor discarded: what "entries waiting" counts. */
export function isWaiting(entry: OutboxEntryView): boolean {
  return entry.state !== 'delivered' && entry.discardedAt === null
}
