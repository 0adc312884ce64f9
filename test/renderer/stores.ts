import { beforeAll, beforeEach } from 'vitest'
import { useAppointmentStore } from '../../src-renderer/src/features/appointment'
import { useEditorStore } from '../../src-renderer/src/features/editor/editor-store'
import { useOutboxStore } from '../../src-renderer/src/features/outbox'
import { useConnectivityStore } from '../../src-renderer/src/features/shell/connectivity-store'
import { useShellStore } from '../../src-renderer/src/features/shell/shell-store'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { useProgressStore } from '../../src-renderer/src/features/shell/progress-store'
import { useSetupStore } from '../../src-renderer/src/features/setup'
import { useAppInfoStore } from '../../src-renderer/src/stores/app-info-store'
import { useSettingsStore } from '../../src-renderer/src/stores/settings-store'

/**
 * Every feature store back to its initial state before each test, and a viewport for the virtualized
 * grid (jsdom lays nothing out, so the scroll element would measure 0 px and show no row).
 */
export function useFreshStores() {
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 })
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 })
  })
  beforeEach(resetStores)
}

/** What a reload of the page does to the in-memory state. */
export function resetStores() {
  {
    for (const store of [
      useAppointmentStore,
      useEditorStore,
      useOutboxStore,
      useConnectivityStore,
      useShellStore,
      useWorklistStore,
      useAppInfoStore,
      useSettingsStore,
      useSetupStore,
      useProgressStore,
    ] as const) {
      ;(store as { setState(s: unknown, replace: true): void }).setState(store.getInitialState(), true)
    }
  }
}
