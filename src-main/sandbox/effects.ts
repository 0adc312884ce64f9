/**
 * The ordered record of what the sandbox committed, for tests that must prove "nothing lost, nothing
 * twice": one entry per state change that actually happened. A replayed idempotent request, a
 * rejected one or a faulted one adds nothing; a request committed and then dropped does.
 */
import type { Effect } from './types'

export type EffectInit = Omit<Effect, 'seq' | 'at'>

export class EffectLog {
  readonly #now: () => number
  readonly #effects: Effect[] = []

  constructor(now: () => number) {
    this.#now = now
  }

  record(init: EffectInit): Effect {
    const effect: Effect = { seq: this.#effects.length + 1, ...init, at: new Date(this.#now()).toISOString() }
    this.#effects.push(effect)
    return effect
  }

  list(): readonly Effect[] {
    return [...this.#effects]
  }
}

/** Request counts per route template and fault counts per kind. */
export class StatsCounter {
  readonly #requests = new Map<string, number>()
  readonly #faults = new Map<string, number>()

  countRequest(route: string): void {
    this.#requests.set(route, (this.#requests.get(route) ?? 0) + 1)
  }

  countFault(kind: string): void {
    this.#faults.set(kind, (this.#faults.get(kind) ?? 0) + 1)
  }

  snapshot(): { requests: Record<string, number>; faults: Record<string, number> } {
    return { requests: Object.fromEntries(this.#requests), faults: Object.fromEntries(this.#faults) }
  }
}
