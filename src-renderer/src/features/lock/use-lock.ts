import { useEffect } from 'react'
import { getBridge } from '../../bridge'
import { startIdleTimer, type IdleClock } from './idle-timer'
import { useLockStore } from './lock-store'

/**
 * Everything that locks the screen: Ctrl+L (⌘L), `idleMinutes` without input in the window (0 = never),
 * and main's `lockRequested` event (the OS locked, the computer is suspending). Mounted once by the shell.
 */
export function useLockTriggers(idleMinutes: number, clock?: IdleClock): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'l') {
        event.preventDefault()
        useLockStore.getState().lock('user')
      }
    }
    window.addEventListener('keydown', onKeyDown)
    let unsubscribe = () => undefined as unknown
    try {
      unsubscribe = getBridge().on('lockRequested', ({ reason }) => useLockStore.getState().lock(reason))
    } catch {
      // No bridge (a page not opened by the app): the other triggers still work.
    }
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      unsubscribe()
    }
  }, [])

  useEffect(
    () =>
      startIdleTimer({
        target: window,
        idleMs: idleMinutes * 60_000,
        onIdle: () => useLockStore.getState().lock('idle'),
        ...(clock ? { clock } : {}),
      }),
    [idleMinutes, clock],
  )
}
