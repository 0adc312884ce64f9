/**
 * Resume from sleep and network changes, turned into one `onWake(reason)`: the app then tries the
 * outbox and refreshes the worklist. Electron-free on purpose (tested in Node with a fake emitter):
 * the composition root passes `powerMonitor` and `net.isOnline`. A network change is found by polling
 * `isOnline` — main has no `online` event — and only the change back to online wakes: going offline
 * needs no action, the engine finds out by trying.
 */
export type WakeReason = 'resume' | 'network'

/** The part of Electron's powerMonitor used here. */
export interface PowerEvents {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown
  removeListener(event: 'resume' | 'unlock-screen', listener: () => void): unknown
}

export interface Timers {
  setInterval(callback: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

export interface WakeWatchOptions {
  readonly power: PowerEvents
  readonly isOnline: () => boolean
  readonly onWake: (reason: WakeReason) => void
  /** How often `isOnline` is polled. Default 5 s. */
  readonly pollMs?: number
  readonly timers?: Timers
}

export const DEFAULT_NETWORK_POLL_MS = 5_000

const systemTimers: Timers = {
  setInterval: (callback, ms) => {
    const handle = setInterval(callback, ms)
    // Polling must never keep the process alive on its own.
    handle.unref?.()
    return handle
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
}

/** Starts watching; returns the function that stops it. */
export function watchWake(options: Readonly<WakeWatchOptions>): () => void {
  const timers = options.timers ?? systemTimers
  const resume = () => options.onWake('resume')
  options.power.on('resume', resume)
  // A screen unlocked after a long lock is, for a laptop, often the first sign of a resumed network.
  options.power.on('unlock-screen', resume)
  let online = options.isOnline()
  const poll = timers.setInterval(() => {
    const now = options.isOnline()
    if (now && !online) options.onWake('network')
    online = now
  }, options.pollMs ?? DEFAULT_NETWORK_POLL_MS)
  return () => {
    options.power.removeListener('resume', resume)
    options.power.removeListener('unlock-screen', resume)
    timers.clearInterval(poll)
  }
}
