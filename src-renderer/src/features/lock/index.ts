export { LockGate, LOCKED_TITLE } from './LockGate'
export { useLockStore } from './lock-store'
export { useLockTriggers } from './use-lock'
export { startIdleTimer, type IdleClock } from './idle-timer'
