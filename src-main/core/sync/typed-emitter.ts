import type { Logger } from '../../common/logger'

/**
 * A small typed event emitter: `on` returns the unsubscribe function, so the UI bridge and the CLI
 * cannot forget which listener to remove. A throwing listener is logged and does not stop the others
 * (nor the drain that emitted).
 */
export class TypedEmitter<Events extends Record<string, unknown>> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>()
  readonly #logger: Logger

  constructor(logger: Logger) {
    this.#logger = logger
  }

  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.#listeners.get(event)
    if (!set) {
      set = new Set()
      this.#listeners.set(event, set)
    }
    set.add(listener as (payload: never) => void)
    return () => {
      set.delete(listener as (payload: never) => void)
    }
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.#listeners.get(event)
    if (!set) return
    for (const listener of [...set]) {
      try {
        ;(listener as (payload: Events[E]) => void)(payload)
      } catch (error) {
        this.#logger.warn('sync listener failed', { kind: String(event), error })
      }
    }
  }

  clear(): void {
    this.#listeners.clear()
  }
}
