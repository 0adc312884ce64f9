// Every DOM test gets a fresh in-memory IndexedDB (Dexie runs on it unchanged) and a clean document.
import 'fake-indexeddb/auto'
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// findBy*/waitFor wait on real work (WebCrypto sealing, fake IndexedDB, Dexie transactions, and the
// first load of a lazily loaded screen, which vitest transforms inside the test); on a 2-core machine
// running other suites that outlasts the 1 s default. They return as soon as the thing shows.
configure({ asyncUtilTimeout: 5_000 })

afterEach(() => {
  cleanup()
  Reflect.deleteProperty(window, 'qubs')
})
