import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, useSettingsStore } from '../../src-renderer/src/stores/settings-store'
import { useFreshStores } from './stores'

useFreshStores()

describe('settings store', () => {
  it('without a bridge, load() keeps the defaults and says why instead of rejecting', async () => {
    Object.defineProperty(window, 'qubs', { value: undefined, configurable: true })
    await expect(useSettingsStore.getState().load()).resolves.toBeUndefined()
    expect(useSettingsStore.getState().settings).toEqual(DEFAULT_SETTINGS)
    expect(useSettingsStore.getState().error).toMatch(/bridge is not available/)
  })
})
