// Every DOM test gets a fresh in-memory IndexedDB (Dexie runs on it unchanged) and a clean document.
import 'fake-indexeddb/auto'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

afterEach(() => {
  cleanup()
  Reflect.deleteProperty(window, 'qubs')
})
