/**
 * The admin handle: what tests (and integration engineers) use to steer the sandbox — faults, the
 * committed-effects record, appointment statuses, the clock, statistics. The /__admin HTTP routes
 * (routes/admin.ts) call exactly these.
 */
import type { EffectLog, StatsCounter } from './effects'
import type { FaultController } from './faults'
import type { SandboxStore } from './store'
import type { Effect, FaultSettings, SandboxAdmin, SandboxStats, ScriptedFault } from './types'

export interface AdminParts {
  readonly faults: FaultController
  readonly effects: EffectLog
  readonly store: SandboxStore
  readonly stats: StatsCounter
  /** Adds to the sandbox clock's offset. */
  readonly advanceClock: (ms: number) => void
}

export class Admin implements SandboxAdmin {
  readonly #parts: AdminParts

  constructor(parts: AdminParts) {
    this.#parts = parts
  }

  setFaults(settings: FaultSettings): void {
    this.#parts.faults.setRandom(settings)
  }

  injectNext(fault: ScriptedFault): void {
    this.#parts.faults.injectNext(fault)
  }

  clearFaults(): void {
    this.#parts.faults.clear()
  }

  effects(): readonly Effect[] {
    return this.#parts.effects.list()
  }

  /** Throws RangeError for a status QUBS does not have; 404 problem for an unknown appointment. */
  setAppointmentStatus(domain: string, appointmentId: string, status: string): void {
    this.#parts.store.setStatus(domain, appointmentId, status)
  }

  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward')
    this.#parts.advanceClock(ms)
  }

  stats(): SandboxStats {
    return this.#parts.stats.snapshot()
  }

  reportText(domain: string, appointmentId: string): string | null {
    return this.#parts.store.reportText(domain, appointmentId)
  }

  pendingAppointmentIds(domain: string, limit = 10): string[] {
    return this.#parts.store.pendingIds(domain, limit)
  }
}
