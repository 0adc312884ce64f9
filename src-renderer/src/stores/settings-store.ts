import { create } from 'zustand'
import {
  SettingsSchema,
  type Settings,
  type SettingsPatch,
  type SettingsView,
} from '../../../src-preload/contract/settings-schemas'
import { getBridge } from '../bridge'

/**
 * The person's settings as main keeps them, shared by every feature (the editor's clinician profile
 * and shortcuts, the worklist's thresholds, the lock's idle time, ...). Until main answers, and when
 * it cannot (a shell without settings), the defaults apply, so no screen waits on settings to show.
 * Changes made anywhere (this window, main, a managed environment) arrive as `settingsChanged`.
 */
interface SettingsState {
  readonly settings: Settings
  /** Null until main answered; sources and env variables for the settings screen. */
  readonly view: SettingsView | null
  readonly error: string | null
  load(): Promise<void>
  /** Validated and saved by main; resolves to the new view, rejects with main's explanation. */
  update(patch: SettingsPatch): Promise<SettingsView>
}

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({})

let unsubscribe: (() => void) | null = null

export const useSettingsStore = create<SettingsState>((set) => ({
  settings: DEFAULT_SETTINGS,
  view: null,
  error: null,
  load: async () => {
    // Inside the try: a page without the bridge keeps the defaults and says why (never rejects).
    try {
      const api = getBridge()
      unsubscribe?.()
      unsubscribe = api.on('settingsChanged', (view) => set({ view, settings: view.settings, error: null }))
      const view = await api.getSettings()
      set({ view, settings: view.settings, error: null })
    } catch (error) {
      set({ error: error instanceof Error ? error.message : 'Settings could not be read.' })
    }
  },
  update: async (patch) => {
    const view = await getBridge().updateSettings(patch)
    set({ view, settings: view.settings, error: null })
    return view
  },
}))
