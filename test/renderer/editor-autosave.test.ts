import { describe, expect, it } from 'vitest'
import type { DraftContent } from '../../src-renderer/src/db/drafts'
import { DraftAutosaver, type AutosaveTimers } from '../../src-renderer/src/features/editor/draft-autosave'

/** Timers the test advances by hand. */
function manualTimers() {
  let now = 0
  const pending = new Map<number, { at: number; run: () => void }>()
  let next = 1
  const timers: AutosaveTimers = {
    set: (run, ms) => {
      const id = next++
      pending.set(id, { at: now + ms, run })
      return id
    },
    clear: (id) => void pending.delete(id as number),
  }
  return {
    timers,
    advance(ms: number) {
      now += ms
      for (const [id, t] of [...pending]) {
        if (t.at <= now) {
          pending.delete(id)
          t.run()
        }
      }
    },
    get pending() {
      return pending.size
    },
  }
}

const content = (text: string): DraftContent => ({
  text,
  selectionStart: 0,
  selectionEnd: 0,
  scrollTop: 0,
  templateId: null,
  submissions: [],
})

function saver(clock: ReturnType<typeof manualTimers>, write = async (_c: DraftContent) => undefined) {
  let reads = 0
  let text = ''
  const writes: string[] = []
  const s = new DraftAutosaver({
    delayMs: 300,
    timers: clock.timers,
    read: () => {
      reads += 1
      return content(text)
    },
    write: async (c) => {
      writes.push(c.text)
      await write(c)
    },
    onError: () => undefined,
  })
  return {
    s,
    writes,
    type: (more: string) => {
      text += more
      s.changed()
    },
    get reads() {
      return reads
    },
  }
}

describe('draft autosave', () => {
  it('does no work on the input path: a burst of changes reads and writes once, after the pause', async () => {
    const clock = manualTimers()
    const a = saver(clock)
    for (const c of 'Findings: normal.') a.type(c)
    expect(a.reads).toBe(0)
    expect(clock.pending).toBe(1)
    clock.advance(299)
    expect(a.writes).toEqual([])
    clock.advance(1)
    await Promise.resolve()
    expect(a.writes).toEqual(['Findings: normal.'])
    expect(a.reads).toBe(1)
  })

  it('saves nothing while a composition is open and once after it ends; flush saves even mid-composition', async () => {
    const clock = manualTimers()
    const a = saver(clock)
    a.s.compositionStarted()
    a.type('voice ')
    clock.advance(1000)
    expect(a.writes).toEqual([])
    a.s.compositionEnded()
    clock.advance(300)
    await Promise.resolve()
    expect(a.writes).toEqual(['voice '])
    a.s.compositionStarted()
    a.type('typing')
    await a.s.flush()
    expect(a.writes).toEqual(['voice ', 'voice typing'])
  })

  it('never overlaps writes: a change during a slow write is saved by one more write after it', async () => {
    const clock = manualTimers()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let first = true
    const a = saver(clock, async () => {
      if (first) {
        first = false
        await gate
      }
    })
    a.type('one')
    clock.advance(300)
    a.type(' two')
    clock.advance(300)
    expect(a.writes).toEqual(['one'])
    release()
    await new Promise((resolve) => setTimeout(resolve, 0))
    clock.advance(300)
    await Promise.resolve()
    expect(a.writes).toEqual(['one', 'one two'])
  })

  it('keeps a failed save dirty so the next flush writes it again', async () => {
    const clock = manualTimers()
    let fail = true
    const a = saver(clock, async () => {
      if (fail) throw new Error('disk full')
    })
    a.type('x')
    await a.s.flush()
    expect(a.s.dirty).toBe(true)
    fail = false
    await a.s.flush()
    expect(a.writes).toEqual(['x', 'x'])
    expect(a.s.dirty).toBe(false)
  })
})
