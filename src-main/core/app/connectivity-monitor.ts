import type { Connectivity } from '../../../src-preload/contract'
import type { Clock } from '../../common/clock'
import { QubsError } from '../api'
import type { ConnectivityState } from '../sync'

/**
 * What the status indicator shows, judged from real requests: the sync engine's deliveries and the
 * core's own reads (worklist, appointment, attachments). A read that gets an answer means online, no
 * answer means offline, and a refusal of the credentials or the domain means credentials-refused —
 * which only a later successful read clears (a delivery that got a 401 still "reached" QUBS).
 */
export type ReadOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown }

export class ConnectivityMonitor {
  readonly #clock: Clock
  readonly #onChange: (connectivity: Connectivity) => void
  #state: Connectivity = { state: 'unknown', lastSuccessAt: null, lastAttemptAt: null }

  constructor(clock: Clock, onChange: (connectivity: Connectivity) => void) {
    this.#clock = clock
    this.#onChange = onChange
  }

  get current(): Connectivity {
    return this.#state
  }

  /** The sync engine's observation (it tries deliveries and reports online/offline). */
  fromSync(state: ConnectivityState): void {
    const at = Math.max(state.lastSuccessAt ?? -1, state.lastFailureAt ?? -1)
    if (state.state === 'unknown' || at < 0) return
    const iso = new Date(at).toISOString()
    if (state.state === 'online') {
      // A delivery answer cannot tell us the credentials are fine again: keep the refusal visible.
      if (this.#state.state === 'credentials-refused') {
        this.#set({ ...this.#state, lastSuccessAt: iso, lastAttemptAt: iso })
      } else {
        // Reached again: the offline explanation no longer applies.
        this.#set({ state: 'online', lastSuccessAt: iso, lastAttemptAt: iso })
      }
    } else {
      this.#set({ ...this.#state, state: 'offline', lastAttemptAt: iso, detail: 'QUBS could not be reached' })
    }
  }

  /** The outcome of one of the core's own reads. Errors that say nothing about the link are ignored. */
  fromRead(outcome: ReadOutcome): void {
    const iso = new Date(this.#clock.now()).toISOString()
    if (outcome.ok) {
      this.#set({ state: 'online', lastSuccessAt: iso, lastAttemptAt: iso })
      return
    }
    const error = outcome.error
    if (!(error instanceof QubsError)) return
    if (error.kind === 'network' || error.kind === 'timeout') {
      this.#set({ ...this.#state, state: 'offline', lastAttemptAt: iso, detail: 'QUBS could not be reached' })
    } else if (error.kind === 'auth' || error.status === 401 || error.status === 403) {
      this.#set({
        ...this.#state,
        state: 'credentials-refused',
        lastAttemptAt: iso,
        detail:
          error.status === 403
            ? 'QUBS refused access to a configured domain'
            : 'QUBS refused the client credentials',
      })
    } else if (error.kind === 'http' || error.kind === 'invalid-response') {
      // QUBS answered, even if not with what we wanted: the link works.
      this.#set({ state: 'online', lastSuccessAt: this.#state.lastSuccessAt, lastAttemptAt: iso })
    }
  }

  #set(next: Connectivity): void {
    const changed = next.state !== this.#state.state || next.detail !== this.#state.detail
    this.#state = next
    if (changed) this.#onChange(next)
  }
}
