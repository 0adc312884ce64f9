import {
  invokeNames,
  IpcErrorCodeSchema,
  type ApiMethods,
  type EnvelopeApi,
  type EventName,
  type EventPayload,
} from '../../src-preload/contract'

/**
 * A fake `window.qubs` for DOM tests: the capabilities are supplied per test as plain async functions
 * (throwing like main's implementation would), events are pushed with `emit`. Like the real preload it
 * answers with envelopes — a thrown error's `code`, `requestId` and `correlationId` travel as data —
 * so the renderer's bridge unwraps exactly as it does in the app.
 */
export function installFakeBridge(methods: Partial<ApiMethods>) {
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  const envelope =
    (name: string) =>
    async (...args: unknown[]) => {
      const method = (methods as Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined>)[name]
      if (!method)
        return { ok: false, error: { code: 'internal', message: `fake bridge: ${name} not provided` } }
      try {
        return { ok: true, value: await method(...args) }
      } catch (error) {
        const fields = (error ?? {}) as {
          code?: unknown
          message?: unknown
          requestId?: unknown
          correlationId?: unknown
        }
        const code = IpcErrorCodeSchema.safeParse(fields.code)
        return {
          ok: false,
          error: {
            code: code.success ? code.data : 'internal',
            message: typeof fields.message === 'string' ? fields.message : 'failed',
            ...(typeof fields.requestId === 'string' ? { requestId: fields.requestId } : {}),
            ...(typeof fields.correlationId === 'string' ? { correlationId: fields.correlationId } : {}),
          },
        }
      }
    }
  const source = {
    ...Object.fromEntries(invokeNames.map((name) => [name, envelope(name)])),
    on: (event: EventName, listener: (payload: never) => void) => {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    },
  } as unknown as EnvelopeApi
  Object.defineProperty(window, 'qubs', { value: source, configurable: true })
  return {
    emit<K extends EventName>(event: K, payload: EventPayload<K>) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: EventPayload<K>) => void)(payload)
    },
  }
}
