import { create } from 'zustand'
import type {
  ConnectionInput,
  ConnectionSetup,
  ConnectionTest,
} from '../../../../src-preload/contract/setup-schemas'
import { getBridge } from '../../bridge'
import { errorMessage, ipcFailureOf } from '../../ui/error-message'

/**
 * The connection setup as main reports it (which QUBS, where each field came from, never the
 * secret), kept current by `connectionSetupChanged`. `available` is false when this main has no
 * setup (an older shell): then the app runs as before, without a first-run screen.
 */
interface SetupState {
  readonly setup: ConnectionSetup | null
  readonly loaded: boolean
  readonly available: boolean
  readonly error: string | null
  load(): Promise<void>
  /** Subscribes to `connectionSetupChanged`; returns the unsubscribe. */
  watch(): () => void
  test(input: ConnectionInput): Promise<ConnectionTest>
  save(input: ConnectionInput): Promise<ConnectionSetup>
  useDemo(): Promise<ConnectionSetup>
}

export const useSetupStore = create<SetupState>((set) => ({
  setup: null,
  loaded: false,
  available: true,
  error: null,
  load: async () => {
    try {
      set({ setup: await getBridge().getConnectionSetup(), loaded: true, available: true, error: null })
    } catch (error) {
      const unavailable = ipcFailureOf(error)?.code === 'unavailable'
      set({ loaded: true, available: !unavailable, error: unavailable ? null : errorMessage(error) })
    }
  },
  watch: () => {
    try {
      return getBridge().on('connectionSetupChanged', (setup) => set({ setup, available: true }))
    } catch {
      // No bridge: the shell already says so (app info); nothing to watch.
      return () => undefined
    }
  },
  test: (input) => getBridge().testConnection(input),
  save: async (input) => {
    const setup = await getBridge().saveConnection(input)
    set({ setup })
    return setup
  },
  useDemo: async () => {
    const setup = await getBridge().useDemo()
    set({ setup })
    return setup
  },
}))

/** True when the person has not chosen yet between connecting to QUBS and the demo. */
export function needsFirstRun(setup: ConnectionSetup | null): boolean {
  return setup !== null && (setup.firstRun || setup.mode === 'unconfigured')
}
