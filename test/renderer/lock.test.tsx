import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  LockGate,
  LOCKED_TITLE,
  startIdleTimer,
  useLockStore,
  useLockTriggers,
  type IdleClock,
} from '../../src-renderer/src/features/lock'
import { installFakeBridge } from './fake-bridge'

/** A clock and timer driven by hand: `advance` runs every timer that falls due. */
function manualClock(): IdleClock & { advance(ms: number): void } {
  let now = 0
  let timers: { at: number; run: () => void; id: number }[] = []
  let next = 1
  return {
    now: () => now,
    setTimeout: (run, ms) => {
      const id = next++
      timers.push({ at: now + ms, run, id })
      return id
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id)
    },
    advance(ms) {
      const end = now + ms
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
        if (!due) break
        timers = timers.filter((t) => t !== due)
        now = due.at
        due.run()
      }
      now = end
    },
  }
}

function Draft() {
  return (
    <main>
      <h1>Testpatient Alpha</h1>
      <textarea aria-label="Report" defaultValue="Findings: none." />
    </main>
  )
}

function Triggers({ idleMinutes, clock }: { idleMinutes: number; clock?: IdleClock }) {
  useLockTriggers(idleMinutes, clock)
  return null
}

beforeEach(() => {
  useLockStore.setState({ locked: false, reason: null })
  document.title = 'QUBS Reporter — Testpatient Alpha'
})
afterEach(() => useLockStore.setState({ locked: false, reason: null }))

describe('lock', () => {
  it('hides every PHI pixel behind an opaque "Locked" dialog and keeps the draft, its caret and focus', () => {
    render(
      <LockGate>
        <Draft />
      </LockGate>,
    )
    const textarea = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Report' })
    textarea.focus()
    fireEvent.input(textarea, { target: { value: 'Findings: small effusion.' } })
    textarea.setSelectionRange(9, 14)

    act(() => useLockStore.getState().lock('user'))
    const content = screen.getByTestId('lock-content')
    expect(content.hasAttribute('inert')).toBe(true)
    expect(content.style.visibility).toBe('hidden')
    expect(screen.getByRole('dialog', { name: 'Locked' })).toBeTruthy()
    // Out of the accessibility tree: no heading or text box with PHI can be found by role.
    expect(screen.queryByRole('heading', { name: 'Testpatient Alpha' })).toBeNull()
    expect(screen.queryByRole('textbox')).toBeNull()
    expect(document.title).toBe(LOCKED_TITLE)
    expect(document.activeElement?.textContent).toBe('I am back')
    // Still mounted, untouched.
    expect(textarea.isConnected).toBe(true)

    fireEvent.click(screen.getByRole('button', { name: 'I am back' }))
    expect(screen.queryByRole('dialog', { name: 'Locked' })).toBeNull()
    expect(content.hasAttribute('inert')).toBe(false)
    expect(content.style.visibility).toBe('')
    expect(document.title).toBe('QUBS Reporter — Testpatient Alpha')
    expect(document.activeElement).toBe(textarea)
    expect(textarea.value).toBe('Findings: small effusion.')
    expect([textarea.selectionStart, textarea.selectionEnd]).toEqual([9, 14])
  })

  it('swallows keys behind the overlay; Enter on "I am back" unlocks', () => {
    const keys: string[] = []
    const record = (e: KeyboardEvent) => keys.push(e.key)
    window.addEventListener('keydown', record)
    render(
      <LockGate>
        <Draft />
      </LockGate>,
    )
    act(() => useLockStore.getState().lock('idle'))
    fireEvent.keyDown(document.body, { key: 'n' })
    expect(keys).toEqual([])
    const button = screen.getByRole('button', { name: 'I am back' })
    fireEvent.keyDown(button, { key: 'Enter' })
    fireEvent.click(button)
    expect(useLockStore.getState().locked).toBe(false)
    window.removeEventListener('keydown', record)
  })

  it('locks on Ctrl+L and on main’s lockRequested event', () => {
    const bridge = installFakeBridge({})
    render(<Triggers idleMinutes={0} />)
    fireEvent.keyDown(window, { key: 'l', ctrlKey: true })
    expect(useLockStore.getState()).toMatchObject({ locked: true, reason: 'user' })
    act(() => useLockStore.getState().unlock())
    act(() => bridge.emit('lockRequested', { reason: 'suspend' }))
    expect(useLockStore.getState()).toMatchObject({ locked: true, reason: 'suspend' })
  })

  it('locks after idleLockMinutes without input; input postpones it; 0 never locks', () => {
    const clock = manualClock()
    render(<Triggers idleMinutes={10} clock={clock} />)
    act(() => clock.advance(9 * 60_000))
    fireEvent.mouseMove(window)
    act(() => clock.advance(9 * 60_000))
    expect(useLockStore.getState().locked).toBe(false)
    fireEvent.keyDown(window, { key: 'a' })
    act(() => clock.advance(10 * 60_000))
    expect(useLockStore.getState()).toMatchObject({ locked: true, reason: 'idle' })

    const never = manualClock()
    let idle = 0
    const stop = startIdleTimer({ target: window, idleMs: 0, onIdle: () => (idle += 1), clock: never })
    never.advance(24 * 60 * 60_000)
    expect(idle).toBe(0)
    stop()
  })
})
