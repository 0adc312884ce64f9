/**
 * The sync engine (design §2): one drain loop over the outbox, woken by events and by its own backoff
 * timer, reporting per-entry state, progress and observed connectivity to the UI and the CLI.
 */
export {
  SyncEngine,
  type DrainResult,
  type SyncEngineOptions,
  type SyncEvents,
  type SyncProgress,
  type WakeReason,
} from './sync-engine'
export type { ConnectivityObservation, ConnectivityState, ConnectivityStateName } from './connectivity'
export { TypedEmitter } from './typed-emitter'
