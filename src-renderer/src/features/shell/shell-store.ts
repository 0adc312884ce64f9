import { z } from 'zod'
import { create } from 'zustand'
import { getBridge } from '../../bridge'
import { openCacheSession, type CacheSession } from '../../db/cache-session'
import type { ReporterDatabase } from '../../db/database'
import { readPref, writePref } from '../../db/prefs'
import { errorMessage } from '../../ui/error-message'

export type Route =
  | { readonly screen: 'worklist' }
  | { readonly screen: 'outbox' }
  | { readonly screen: 'appointment'; readonly domain: string; readonly appointmentId: string }

export const ThemeSchema = z.enum(['dark', 'light'])
export type Theme = z.infer<typeof ThemeSchema>
const ZoomSchema = z.number().min(0.5).max(3)
export const ZOOM_STEPS = [0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3]

interface ShellState {
  readonly session: CacheSession | null
  readonly startError: string | null
  readonly route: Route
  readonly theme: Theme
  readonly zoom: number
  readonly helpOpen: boolean
  /** Gets the cache key from main and opens the offline cache (clearing it if the key changed). */
  start(db: ReporterDatabase): Promise<CacheSession | null>
  navigate(route: Route): void
  setTheme(theme: Theme): void
  /** +1 / −1 steps, 0 resets. */
  zoomBy(step: -1 | 0 | 1): void
  setHelpOpen(open: boolean): void
}

const THEME_PREF = 'shell.theme'
const ZOOM_PREF = 'shell.zoom'

export const useShellStore = create<ShellState>((set, get) => ({
  session: null,
  startError: null,
  route: { screen: 'worklist' },
  theme: 'dark',
  zoom: 1,
  helpOpen: false,

  start: async (db) => {
    try {
      const [session, theme, zoom] = await Promise.all([
        getBridge()
          .getCacheKey()
          .then((key) => openCacheSession(db, key)),
        readPref(db, THEME_PREF, ThemeSchema, 'dark'),
        readPref(db, ZOOM_PREF, ZoomSchema, 1),
      ])
      set({ session, theme, zoom, startError: null })
      return session
    } catch (error) {
      set({ startError: `The offline cache could not be opened: ${errorMessage(error)}` })
      return null
    }
  },
  navigate: (route) => set({ route }),
  setTheme: (theme) => {
    set({ theme })
    const db = get().session?.db
    if (db) void writePref(db, THEME_PREF, theme)
  },
  zoomBy: (step) => {
    const current = ZOOM_STEPS.findIndex((z) => z >= get().zoom - 0.001)
    const index =
      step === 0 ? ZOOM_STEPS.indexOf(1) : Math.min(Math.max(current + step, 0), ZOOM_STEPS.length - 1)
    const zoom = ZOOM_STEPS[index]!
    set({ zoom })
    const db = get().session?.db
    if (db) void writePref(db, ZOOM_PREF, zoom)
  },
  setHelpOpen: (helpOpen) => set({ helpOpen }),
}))
