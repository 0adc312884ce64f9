// Every DOM test gets a fresh in-memory IndexedDB (Dexie runs on it unchanged) and a clean document.
import 'fake-indexeddb/auto'
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// The shell loads its other screens on first use (features/shell/lazy-screens.tsx); under vitest
// that first load transforms the screen's modules inside the test, which on a loaded machine takes
// longer than findBy's default second. What a test waits for is unchanged, only how long.
configure({ asyncUtilTimeout: 5000 })

afterEach(() => {
  cleanup()
  Reflect.deleteProperty(window, 'qubs')
})
