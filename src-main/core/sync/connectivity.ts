import { linkEvidence, type LinkEvidence, type RequestOutcome } from '../api/request-outcome'

/**
 * Connectivity as observed from real requests — by trying, not by trusting OS online events (which
 * were missed or late in other clients):
 *
 * - `online`: QUBS answered and accepted the credentials;
 * - `offline`: QUBS could not be reached (or did not answer in time);
 * - `credentials-refused`: the token endpoint refused the client credentials, a 401 survived a token
 *   refresh, or QUBS refused the domain (403);
 * - `unknown`: nothing has been tried yet.
 *
 * `lastSuccessAt` is the last request that succeeded; `lastAttemptAt` the last one that was tried.
 */
export type ConnectivityStateName = 'online' | 'offline' | 'credentials-refused' | 'unknown'

export interface ConnectivityState {
  readonly state: ConnectivityStateName
  /** When a request last succeeded (ms since the epoch), if ever. */
  readonly lastSuccessAt: number | null
  /** When a request was last tried, if ever. */
  readonly lastAttemptAt: number | null
  /** Short and PHI-free, for the person: why the state is not `online`. */
  readonly detail?: string
}

export interface ConnectivityObservation extends LinkEvidence {
  /** The request succeeded (not merely answered): moves `lastSuccessAt`. */
  readonly succeeded: boolean
}

/** The observation a finished API operation makes, or null when it proves nothing about the link. */
export function observationOf(outcome: RequestOutcome): ConnectivityObservation | null {
  if (outcome.ok) return { state: 'online', succeeded: true }
  const evidence = linkEvidence(outcome.error)
  return evidence === null ? null : { ...evidence, succeeded: false }
}

export class ConnectivityTracker {
  #state: ConnectivityState = { state: 'unknown', lastSuccessAt: null, lastAttemptAt: null }

  get current(): ConnectivityState {
    return this.#state
  }

  /** Records an observation; returns the new state when its state or detail changed, else null. */
  observe(observation: ConnectivityObservation, now: number): ConnectivityState | null {
    const previous = this.#state
    this.#state = {
      state: observation.state,
      lastSuccessAt: observation.succeeded ? now : previous.lastSuccessAt,
      lastAttemptAt: now,
      ...(observation.detail === undefined ? {} : { detail: observation.detail }),
    }
    const changed = previous.state !== this.#state.state || previous.detail !== this.#state.detail
    return changed ? this.#state : null
  }
}
