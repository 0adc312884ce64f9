/**
 * Connectivity as the sync engine has observed it — by trying, not by trusting OS online events (which
 * were missed or late in other clients). `online` means the last request got an answer from QUBS
 * (any status); `offline` means the last request got none.
 */
export type ConnectivityStateName = 'online' | 'offline' | 'unknown'

export interface ConnectivityState {
  readonly state: ConnectivityStateName
  /** When a request last got an answer (ms since the epoch), if ever. */
  readonly lastSuccessAt: number | null
  /** When a request last got no answer, if ever. */
  readonly lastFailureAt: number | null
}

export class ConnectivityTracker {
  #state: ConnectivityState = { state: 'unknown', lastSuccessAt: null, lastFailureAt: null }

  get current(): ConnectivityState {
    return this.#state
  }

  /** Records an observation; returns the new state when it changed from online/offline/unknown. */
  observe(observation: 'online' | 'offline', now: number): ConnectivityState | null {
    const previous = this.#state.state
    this.#state =
      observation === 'online'
        ? { ...this.#state, state: 'online', lastSuccessAt: now }
        : { ...this.#state, state: 'offline', lastFailureAt: now }
    return previous === observation ? null : this.#state
  }
}
