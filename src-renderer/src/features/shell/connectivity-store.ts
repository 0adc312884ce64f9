import { create } from 'zustand'
import type { Connectivity } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'

/** Main's judgement of the link to QUBS, kept current through `connectivityChanged`. */
interface ConnectivityStore {
  readonly connectivity: Connectivity | null
  load(): Promise<void>
  watch(onOnlineAgain: () => void): () => void
}

export const useConnectivityStore = create<ConnectivityStore>((set, get) => ({
  connectivity: null,
  load: async () => {
    try {
      set({ connectivity: await getBridge().getConnectivity() })
    } catch {
      // The status shows "unknown" until the next event.
    }
  },
  watch: (onOnlineAgain) =>
    getBridge().on('connectivityChanged', (next) => {
      const before = get().connectivity?.state
      set({ connectivity: next })
      if (next.state === 'online' && before !== undefined && before !== 'online') onOnlineAgain()
    }),
}))
