import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react'
import './lock.css'
import { useLockStore } from './lock-store'

/** The title while locked: it shows in the taskbar and window switchers, so it names no patient. */
export const LOCKED_TITLE = 'QUBS Reporter — locked'

/** What had the focus when the screen locked, with its caret, so unlocking puts the person back there. */
interface SavedFocus {
  readonly element: HTMLElement
  readonly selection: readonly [number, number, 'forward' | 'backward' | 'none'] | null
}

/**
 * Wraps the whole app. Locked: the app stays mounted (so drafts, carets, scroll positions and screens
 * are untouched) but is `inert` — out of the tab order and the accessibility tree — and
 * `visibility: hidden`, so no PHI pixel is painted; an opaque full-window dialog "Locked" covers it and
 * the title names no patient. Unlock ("I am back": a click or Enter) restores the title and the focus
 * and caret the person had.
 */
export function LockGate({ children }: Readonly<{ children: ReactNode }>) {
  const { locked, reason, unlock } = useLockStore()
  const saved = useRef<{ focus: SavedFocus | null; title: string } | null>(null)
  const button = useRef<HTMLButtonElement>(null)

  // Before paint: the title and the focus are taken before the app behind goes inert.
  useLayoutEffect(() => {
    if (locked) {
      saved.current = { focus: saveFocus(), title: document.title }
      document.title = LOCKED_TITLE
      button.current?.focus()
      return
    }
    const before = saved.current
    saved.current = null
    if (!before) return
    document.title = before.title
    restoreFocus(before.focus)
  }, [locked])

  // Keys pressed while locked reach nothing behind the overlay (the app's shortcuts included).
  useEffect(() => {
    if (!locked) return
    const swallow = (event: KeyboardEvent) => {
      if (event.target instanceof Node && button.current?.contains(event.target)) return
      event.stopPropagation()
      event.preventDefault()
    }
    window.addEventListener('keydown', swallow, true)
    return () => window.removeEventListener('keydown', swallow, true)
  }, [locked])

  return (
    <>
      <div
        className="lock-content"
        data-testid="lock-content"
        inert={locked}
        aria-hidden={locked || undefined}
        style={locked ? { visibility: 'hidden' } : undefined}
      >
        {children}
      </div>
      {locked && (
        <div className="lock-overlay" role="dialog" aria-modal="true" aria-label="Locked">
          <div className="dialog lock-panel">
            <h2>Locked</h2>
            <p>
              {reason === 'idle'
                ? 'The screen locked itself after a while without input.'
                : reason === 'os-lock' || reason === 'suspend'
                  ? 'The screen locked with the computer.'
                  : 'Patient details are hidden.'}{' '}
              Nothing you were working on has changed.
            </p>
            <button type="button" ref={button} onClick={unlock}>
              I am back
            </button>
          </div>
        </div>
      )}
    </>
  )
}

function saveFocus(): SavedFocus | null {
  const element = document.activeElement
  if (!(element instanceof HTMLElement) || element === document.body) return null
  const hasCaret = element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement
  const selection =
    hasCaret && element.selectionStart !== null && element.selectionEnd !== null
      ? ([element.selectionStart, element.selectionEnd, element.selectionDirection ?? 'none'] as const)
      : null
  return { element, selection }
}

function restoreFocus(saved: SavedFocus | null): void {
  if (!saved || !saved.element.isConnected) return
  saved.element.focus({ preventScroll: true })
  const { element, selection } = saved
  if (selection && (element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement)) {
    element.setSelectionRange(...selection)
  }
}
