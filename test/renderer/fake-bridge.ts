import {
  invokeNames,
  type Api,
  type ApiMethods,
  type EventName,
  type EventPayload,
} from '../../src-preload/contract'

/**
 * A fake `window.qubs` for DOM tests: the capabilities are supplied per test, events are pushed with
 * `emit`. It deliberately implements the same `Api` type the preload exposes.
 */
export function installFakeBridge(methods: Partial<ApiMethods>) {
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  const missing = (name: string) => () => Promise.reject(new Error(`fake bridge: ${name} not provided`))
  const capabilities = Object.fromEntries(invokeNames.map((name) => [name, methods[name] ?? missing(name)]))
  const api = {
    ...capabilities,
    on: (event: EventName, listener: (payload: never) => void) => {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    },
  } as unknown as Api
  Object.defineProperty(window, 'qubs', { value: api, configurable: true })
  return {
    api,
    emit<K extends EventName>(event: K, payload: EventPayload<K>) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: EventPayload<K>) => void)(payload)
    },
  }
}
