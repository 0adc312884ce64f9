import { create } from 'zustand'
import type { AppInfo } from '../../../src-preload/contract/schemas'
import { getBridge } from '../bridge'

/** What the shell shows about the app itself: loaded once from main at start-up. */
interface AppInfoState {
  readonly info: AppInfo | null
  readonly error: string | null
  load(): Promise<void>
}

export const useAppInfoStore = create<AppInfoState>((set) => ({
  info: null,
  error: null,
  load: async () => {
    try {
      set({ info: await getBridge().getAppInfo(), error: null })
    } catch (error) {
      set({ error: error instanceof Error ? error.message : 'Could not reach the application core.' })
    }
  },
}))
