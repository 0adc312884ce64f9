import { create } from 'zustand'
import type { OutboxDrainProgress } from '../../../../src-preload/contract/setup-schemas'
import type { PrefetchProgress } from '../attachments/prefetch'

/** Long work in the background, for the header: the attachment prefetch and main's outbox drain. */
interface ProgressState {
  readonly prefetch: PrefetchProgress | null
  readonly drain: OutboxDrainProgress | null
  setPrefetch(progress: PrefetchProgress | null): void
  setDrain(progress: OutboxDrainProgress | null): void
}

export const useProgressStore = create<ProgressState>((set) => ({
  prefetch: null,
  drain: null,
  setPrefetch: (prefetch) => set({ prefetch }),
  setDrain: (drain) => set({ drain }),
}))

/** The header's words for the work running now; empty when nothing runs. */
export function progressText(state: Pick<ProgressState, 'prefetch' | 'drain'>): string {
  const parts: string[] = []
  const { drain, prefetch } = state
  if (drain?.draining && drain.total > 0) {
    parts.push(`Sending ${Math.min(drain.delivered + 1, drain.total)} of ${drain.total}`)
  }
  if (prefetch && prefetch.total > 0) parts.push(`Caching attachments ${prefetch.done}/${prefetch.total}`)
  return parts.join(' · ')
}
