import { create } from 'zustand'
import type { Settings } from '../../../../src-preload/contract/settings-schemas'
import { getBridge } from '../../bridge'
import { openCacheSession, type CacheSession } from '../../db/cache-session'
import type { ReporterDatabase } from '../../db/database'
import { useSettingsStore } from '../../stores/settings-store'
import { errorMessage, ipcFailureOf } from '../../ui/error-message'
import { ZOOM_STEPS } from '../../ui/zoom-steps'

export type Route =
  | { readonly screen: 'worklist' }
  | { readonly screen: 'outbox' }
  | { readonly screen: 'settings' }
  | { readonly screen: 'support' }
  | { readonly screen: 'appointment'; readonly domain: string; readonly appointmentId: string }

export type Theme = Settings['appearance']['theme']
export { ZOOM_STEPS }

interface ShellState {
  readonly session: CacheSession | null
  readonly startError: string | null
  /** Why the last theme or zoom change was not kept (e.g. fixed by the environment). */
  readonly appearanceError: string | null
  readonly route: Route
  readonly helpOpen: boolean
  /** Gets the cache key from main and opens the offline cache (clearing it if the key changed). */
  start(db: ReporterDatabase): Promise<CacheSession | null>
  navigate(route: Route): void
  setTheme(theme: Theme): void
  /** +1 / −1 steps, 0 resets. */
  zoomBy(step: -1 | 0 | 1): void
  setHelpOpen(open: boolean): void
}

/**
 * Theme and zoom are settings kept by main (`settings.appearance`): shown at once, then saved; when
 * main refuses (a value fixed by the environment), the screen goes back to main's value and says why.
 */
async function applyAppearance(change: Partial<Settings['appearance']>): Promise<string | null> {
  const store = useSettingsStore
  const before = store.getState().settings
  store.setState({ settings: { ...before, appearance: { ...before.appearance, ...change } } })
  try {
    await store.getState().update({ appearance: change })
    return null
  } catch (error) {
    // A main without settings (an older shell) has nowhere to keep it: it holds for this session.
    if (ipcFailureOf(error)?.code === 'unavailable') return null
    const now = store.getState().settings
    store.setState({ settings: { ...now, appearance: before.appearance } })
    return `Not saved: ${errorMessage(error)}`
  }
}

export const useShellStore = create<ShellState>((set) => ({
  session: null,
  startError: null,
  appearanceError: null,
  route: { screen: 'worklist' },
  helpOpen: false,

  start: async (db) => {
    try {
      const session = await openCacheSession(db, await getBridge().getCacheKey())
      set({ session, startError: null })
      return session
    } catch (error) {
      set({ startError: `The offline cache could not be opened: ${errorMessage(error)}` })
      return null
    }
  },
  navigate: (route) => set({ route }),
  setTheme: (theme) => {
    void applyAppearance({ theme }).then((appearanceError) => set({ appearanceError }))
  },
  zoomBy: (step) => {
    const zoomNow = useSettingsStore.getState().settings.appearance.zoom
    const current = ZOOM_STEPS.findIndex((z) => z >= zoomNow - 0.001)
    const index =
      step === 0 ? ZOOM_STEPS.indexOf(1) : Math.min(Math.max(current + step, 0), ZOOM_STEPS.length - 1)
    const zoom = ZOOM_STEPS[index]!
    void applyAppearance({ zoom }).then((appearanceError) => set({ appearanceError }))
  },
  setHelpOpen: (helpOpen) => set({ helpOpen }),
}))
