import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { compareUrgency } from '../../src-renderer/src/features/worklist/priority'
import type * as Priority from '../../src-renderer/src/features/worklist/priority'
import { deadlineState } from '../../src-renderer/src/ui/time-format'
import type * as TimeFormat from '../../src-renderer/src/ui/time-format'
import { installFakeBridge } from './fake-bridge'
import { appointment, worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

// Every comparison of two rows' urgency (sorting, Next case), counted (the real one runs).
vi.mock('../../src-renderer/src/features/worklist/priority', async (importOriginal) => {
  const actual = await importOriginal<typeof Priority>()
  return { ...actual, compareUrgency: vi.fn(actual.compareUrgency) }
})

// Every rendered grid row asks for its deadline state once: counted, the rows the grid rendered.
vi.mock('../../src-renderer/src/ui/time-format', async (importOriginal) => {
  const actual = await importOriginal<typeof TimeFormat>()
  return { ...actual, deadlineState: vi.fn(actual.deadlineState) }
})

const ROWS = 400
// Every other patient's name holds an "x" (nothing else does): "x" lists half the rows, interleaved.
const LIST = Array.from({ length: ROWS }, (_, n) =>
  appointment({
    appointmentId: `K${n}`,
    lastName: n % 2 ? `Patientx${n}` : `Patient${n}`,
    priority: n % 7 ? 'Routine' : 'STAT',
  }),
)

/** Every read of a layout extent of the grid's scroll container (each one a forced layout in Chromium). */
function countScrollerLayoutReads() {
  const counter = { reads: 0, restore: () => {} }
  const restores = (['scrollHeight', 'scrollTop'] as const).map((name) => {
    const real = Object.getOwnPropertyDescriptor(Element.prototype, name)!
    Object.defineProperty(Element.prototype, name, {
      configurable: true,
      get(this: Element) {
        if (this.classList.contains('worklist-scroll')) counter.reads++
        return real.get!.call(this)
      },
      set: real.set,
    })
    return () => Object.defineProperty(Element.prototype, name, real)
  })
  counter.restore = () => restores.forEach((restore) => restore())
  return counter
}

describe('a keystroke in the worklist filter', () => {
  useFreshStores()

  /** Types one character per step into the filter, each changing the listed rows; returns the grid. */
  async function showGrid() {
    installFakeBridge(worklistMethods(() => LIST))
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    const grid = await screen.findByRole('grid', { name: 'Worklist' })
    await waitFor(() => expect(grid.getAttribute('aria-rowcount')).toBe(String(ROWS + 1)))
    return grid
  }

  async function typeSteps(steps: readonly string[], during: () => void) {
    const grid = await showGrid()
    const user = userEvent.setup()
    const filter = screen.getByRole('searchbox', { name: 'Filter worklist' })
    // "k1" lists K1, K10–K19, K100–K199; then each step changes the listed rows again.
    await user.type(filter, 'k1')
    await waitFor(() => expect(grid.getAttribute('aria-rowcount')).toBe('112'))
    during()
    const rowCounts = ['112']
    for (const key of steps) {
      await user.type(filter, key)
      await waitFor(() => expect(grid.getAttribute('aria-rowcount')).not.toBe(rowCounts.at(-1)))
      rowCounts.push(grid.getAttribute('aria-rowcount')!)
    }
    expect(rowCounts).toEqual(['112', '12', '2', '12'])
  }

  // "k12" (11 rows), "k123" (1 row), "k12" again.
  const STEPS = ['2', '3', '{Backspace}']

  it('finds Next case without comparing the listed rows: they are already in urgency order', async () => {
    const grid = await showGrid()
    const user = userEvent.setup()
    const filter = screen.getByRole('searchbox', { name: 'Filter worklist' })
    const next = screen.getByRole('button', { name: 'Next case' })
    const compared = vi.mocked(compareUrgency)
    for (const key of ['x', '{Backspace}', 'x']) {
      const before = grid.getAttribute('aria-rowcount')
      compared.mockClear()
      await user.type(filter, key)
      await waitFor(() => expect(grid.getAttribute('aria-rowcount')).not.toBe(before))
      // Scanning 200–400 listed rows for the most urgent compared each one; the first row in urgency
      // order that qualifies is that same row.
      expect(compared.mock.calls.length).toBe(0)
      expect(next.hasAttribute('disabled')).toBe(false)
    }
    // K0 is the first STAT; with "x" (odd rows only) it is K7.
    await user.click(next)
    expect(await screen.findByRole('heading', { name: 'PATIENTX7, Alice' })).toBeTruthy()
  }, 30_000)

  it('reads no layout extent of the grid while the active row stays in view', async () => {
    const layout = countScrollerLayoutReads()
    try {
      await typeSteps(STEPS, () => (layout.reads = 0))
      expect(layout.reads).toBe(0)
    } finally {
      layout.restore()
    }
  }, 30_000)

  /** The bench's keystrokes: "x" and Backspace in turn, each listing other rows (200, then all 400). */
  it('renders at most one window of rows per keystroke and reuses the row elements', async () => {
    const grid = await showGrid()
    const user = userEvent.setup()
    const filter = screen.getByRole('searchbox', { name: 'Filter worklist' })
    const rendered = vi.mocked(deadlineState)
    const windowRows = () => grid.querySelectorAll('.worklist-scroll [role="row"]').length
    let added = 0
    const observer = new MutationObserver((records) => {
      for (const r of records)
        for (const node of r.addedNodes)
          if (node instanceof Element && node.getAttribute('role') === 'row') added++
    })
    observer.observe(grid, { childList: true, subtree: true })
    try {
      const counts: string[] = []
      for (const key of ['x', '{Backspace}', 'x', '{Backspace}', 'x']) {
        const before = grid.getAttribute('aria-rowcount')
        const shown = windowRows()
        rendered.mockClear()
        added = 0
        await user.type(filter, key)
        await waitFor(() => expect(grid.getAttribute('aria-rowcount')).not.toBe(before))
        counts.push(grid.getAttribute('aria-rowcount')!)
        // Each row of the window renders at most once per keystroke.
        expect(rendered.mock.calls.length).toBeLessThanOrEqual(windowRows())
        // A window of the same size keeps its row elements: only their contents change.
        expect(windowRows()).toBe(shown)
        expect(added).toBe(0)
      }
      expect(counts).toEqual(['201', '401', '201', '401', '201'])
    } finally {
      observer.disconnect()
    }
  }, 30_000)

  /**
   * A trusted keystroke outside act(): React commits the input's update at the end of the event. The
   * grid's new rows must be in that same commit — rows committed in a later, deferred render reach the
   * screen one frame after the filter box's echo, whatever their cost.
   */
  it('shows the new rows in the same commit as the filter box echo, not a later render', async () => {
    const grid = await showGrid()
    const filter = screen.getByRole<HTMLInputElement>('searchbox', { name: 'Filter worklist' })
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
    const actEnvironment = Reflect.get(globalThis, 'IS_REACT_ACT_ENVIRONMENT')
    Reflect.set(globalThis, 'IS_REACT_ACT_ENVIRONMENT', false)
    try {
      const seen: string[] = []
      for (const text of ['x', '', 'x']) {
        setValue.call(filter, text)
        filter.dispatchEvent(new Event('input', { bubbles: true }))
        // Read at once, in the same task: only what the keystroke's own commit put on screen.
        seen.push(`${filter.value}:${grid.getAttribute('aria-rowcount')}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(seen).toEqual(['x:201', ':401', 'x:201'])
    } finally {
      Reflect.set(globalThis, 'IS_REACT_ACT_ENVIRONMENT', actEnvironment)
    }
  }, 30_000)

  it('re-renders only the two rows whose selection changed when the active row moves', async () => {
    const grid = await showGrid()
    const user = userEvent.setup()
    grid.focus()
    const rendered = vi.mocked(deadlineState)
    for (const key of ['{ArrowDown}', '{ArrowDown}', '{ArrowUp}']) {
      const before = grid.getAttribute('aria-activedescendant')
      rendered.mockClear()
      await user.keyboard(key)
      await waitFor(() => expect(grid.getAttribute('aria-activedescendant')).not.toBe(before))
      expect(rendered.mock.calls.length).toBeLessThanOrEqual(2)
    }
  }, 30_000)
})
