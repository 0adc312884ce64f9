/**
 * Fires `onIdle` once no keyboard, mouse, touch or wheel input reached `target` for `idleMs`. The clock
 * and the timer are injected (tests drive them by hand); activity only records a time, so a mouse move
 * costs nothing, and the single pending timer re-arms itself for the remaining time when it fires early.
 */
export interface IdleClock {
  now(): number
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const browserClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => window.setTimeout(run, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
}

export const ACTIVITY_EVENTS = [
  'keydown',
  'pointerdown',
  'pointermove',
  'mousedown',
  'mousemove',
  'wheel',
  'touchstart',
] as const

export interface IdleTimerOptions {
  readonly target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>
  /** 0 or less: never. */
  readonly idleMs: number
  readonly onIdle: () => void
  readonly clock?: IdleClock
}

/** Starts watching; returns the stop function. */
export function startIdleTimer(options: Readonly<IdleTimerOptions>): () => void {
  const clock = options.clock ?? browserClock
  if (!(options.idleMs > 0)) return () => undefined
  let lastActivity = clock.now()
  let handle: unknown = null
  let fired = false
  const arm = (ms: number) => {
    handle = clock.setTimeout(check, ms)
  }
  const check = () => {
    const idleFor = clock.now() - lastActivity
    if (idleFor >= options.idleMs) {
      if (!fired) options.onIdle()
      fired = true
      arm(options.idleMs)
    } else arm(options.idleMs - idleFor)
  }
  const onActivity = () => {
    lastActivity = clock.now()
    fired = false
  }
  for (const type of ACTIVITY_EVENTS) options.target.addEventListener(type, onActivity, { passive: true })
  arm(options.idleMs)
  return () => {
    if (handle !== null) clock.clearTimeout(handle)
    for (const type of ACTIVITY_EVENTS) options.target.removeEventListener(type, onActivity)
  }
}
