import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Outbox } from '../../../src-main/core/outbox'
import { EntryRowSchema } from '../../../src-main/core/outbox/entry-row'
import { harness, type Harness } from './support'

/**
 * Issue 14: a fill of the worker pool must cost what it hands out, not what is queued. Each question the
 * drain asks per fill (the due heads, the progress counts, the other-connection check, the next due time)
 * may parse only the rows it returns: the same lane structure at 10 and at 300 queued parses the same.
 */
describe('the drain parses per fill only the rows it hands out (issue 14)', () => {
  let h: Harness | undefined
  let outbox: Outbox | undefined
  afterEach(() => {
    vi.restoreAllMocks()
    if (outbox && !outbox.closed) outbox.close()
    h?.cleanup()
  })

  /** `appointments` appointments with two queued reports each (a lane of two), plus one comment each. */
  async function queue(appointments: number): Promise<Outbox> {
    h = harness()
    outbox = await h.open()
    for (let n = 0; n < appointments; n += 1) {
      await outbox.enqueueReport('acme', `A${n}`, { reportText: 'first', reportStatus: 'preliminary' })
      await outbox.enqueueReport('acme', `A${n}`, { reportText: 'second', reportStatus: 'final' })
      await outbox.enqueueComment('acme', `A${n}`, { commentText: 'note' })
    }
    return outbox
  }

  /** Rows parsed by one fill's questions, with `limit` free workers and one lane in flight. */
  function parsedPerFill(opened: Outbox, limit: number): { parses: number; ready: number } {
    const { clock } = h as Harness
    const parse = vi.spyOn(EntryRowSchema, 'safeParse')
    const due = opened.delivery.dueHeads({
      now: clock.now(),
      exclude: new Set([JSON.stringify(['acme', 'A0'])]),
      limit,
    })
    opened.delivery.counts()
    opened.delivery.nextDueAt(new Set())
    const parses = parse.mock.calls.length
    parse.mockRestore()
    return { parses, ready: due.ready.length }
  }

  it('parses a bounded number of rows per fill, whatever the queue length', async () => {
    const small = parsedPerFill(await queue(10), 3)
    ;(outbox as Outbox).close()
    ;(h as Harness).cleanup()
    const large = parsedPerFill(await queue(300), 3)
    expect(small.ready).toBe(3)
    expect(large.ready).toBe(3)
    // dueHeads: at most the limit (no head is corrupt here); nextDueAt: the first head it finds.
    expect(large.parses).toBeLessThanOrEqual(3 + 1)
    expect(large.parses).toBe(small.parses)
  }, 60_000)
})
