import { describe, expect, it } from 'vitest'
import { DraftWriteQueue } from '../../src-renderer/src/features/editor/draft-write-queue'

function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

describe('the draft write queue', () => {
  it('runs the writes of one draft one after the other, so a later save is never overtaken by an earlier one', async () => {
    const queue = new DraftWriteQueue()
    const order: string[] = []
    const slow = gate()
    const first = queue.run('a', async () => {
      order.push('first starts')
      await slow.opened
      order.push('first ends')
    })
    const second = queue.run('a', async () => void order.push('second'))
    const other = queue.run('b', async () => void order.push('other draft'))
    await other
    expect(order).toEqual(['first starts', 'other draft'])
    slow.open()
    await Promise.all([first, second])
    expect(order).toEqual(['first starts', 'other draft', 'first ends', 'second'])
  })

  it('keeps going after a failed write and hands the failure to its caller only', async () => {
    const queue = new DraftWriteQueue()
    const failed = queue.run('a', () => Promise.reject(new Error('disk full')))
    const next = queue.run('a', async () => 'written')
    await expect(failed).rejects.toThrow('disk full')
    await expect(next).resolves.toBe('written')
    await expect(queue.settled('a')).resolves.toBeUndefined()
  })

  it('settles only once the tracked closing work and the writes it queued have ended', async () => {
    const queue = new DraftWriteQueue()
    const running = gate()
    let stored = 'old'
    void queue.run('a', async () => {
      await running.opened
      stored = 'running write'
    })
    // The closing flush waits for the running write, then queues its own.
    const closing = (async () => {
      await running.opened
      await queue.run('a', async () => {
        stored = 'closing save'
      })
    })()
    queue.track('a', closing)
    let settled = false
    const waiting = queue.settled('a').then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    running.open()
    await waiting
    expect(stored).toBe('closing save')
    await expect(queue.settled('b')).resolves.toBeUndefined()
  })
})
