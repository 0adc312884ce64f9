import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Outbox } from '../../../src-main/core/outbox'
import { EntryRowSchema } from '../../../src-main/core/outbox/entry-row'
import { COUNT_BLOCKED_SQL, DUE_LANE_HEADS_SQL } from '../../../src-main/core/outbox/lane-queries'
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

  it('counts reports behind an unreadable one as blocked, the unreadable row learned at open', async () => {
    h = harness()
    outbox = await h.open()
    const first = await outbox.enqueueReport('acme', 'A1', { reportText: 'one', reportStatus: 'preliminary' })
    const bad = await outbox.enqueueReport('acme', 'A1', { reportText: 'two', reportStatus: 'preliminary' })
    await outbox.enqueueReport('acme', 'A1', { reportText: 'three', reportStatus: 'final' })
    await outbox.enqueueComment('acme', 'A1', { commentText: 'note' })
    outbox.close()
    const raw = new DatabaseSync(h.path)
    raw.prepare("UPDATE entries SET last_error = '{broken' WHERE id = ?").run(bad.id)
    raw.close()
    outbox = await h.open()
    // The first report goes; the third waits behind the unreadable second, which is not counted itself.
    expect(outbox.delivery.counts()).toMatchObject({ queued: 4, held: 0, blocked: 1 })
    const due = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 5 })
    expect(due.ready.map((t) => t.id)).toContain(first.id)
    expect(due.corrupt).toEqual([])
    // Once the first is delivered, the unreadable row is the head: reported, and its lane waits.
    const attempt = outbox.delivery.beginAttempt(first.id, 'report', null)
    outbox.delivery.markDelivered(first.id, attempt, { reportGuid: 'r1' })
    const next = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 5 })
    expect(next.corrupt.map((c) => c.id)).toEqual([bad.id])
    expect(next.ready.map((t) => t.kind)).toEqual(['comment'])
    expect(outbox.delivery.counts()).toMatchObject({ queued: 3, delivered: 1, blocked: 1 })
  })

  /** SQLite's plan for `sql` against the outbox's schema, one step per line. */
  async function planOf(sql: string, ...params: (string | number)[]): Promise<string[]> {
    h = harness()
    outbox = await h.open()
    outbox.close()
    const raw = new DatabaseSync(h.path)
    try {
      return raw
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((row) => String(row.detail))
    } finally {
      raw.close()
    }
  }

  it('reads the due heads in enqueue order from an index: a fill never sorts the whole queue', async () => {
    const plan = await planOf(DUE_LANE_HEADS_SQL, 0)
    // A sort would visit every queued row before the first head comes out (≈ 1 ms per fill at 1 000).
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
    expect(plan.join('\n')).toMatch(/SEARCH e USING COVERING INDEX/)
  })

  it('counts the blocked reports from the held and unreadable lanes, not from every queued row', async () => {
    const plan = await planOf(COUNT_BLOCKED_SQL, '[]', '[]')
    // The outer loop runs over the blocking heads (normally none): its first step is not the queue.
    const firstOuter = plan.find((step) => /^(SCAN|SEARCH) (e|b)\b/.test(step))
    expect(firstOuter).toMatch(/^SCAN b\b/)
    // And for each blocking head, only its own appointment's later reports: a search by domain and
    // appointment, not every queued row after it in any appointment (one held report early in a long
    // queue made each progress event walk the whole queue).
    const inner = plan.find((step) => /^(SCAN|SEARCH) e\b/.test(step))
    expect(inner).toMatch(
      /^SEARCH e USING (COVERING )?INDEX \w+ \(domain=\? AND appointment_id=\? AND seq>\?\)/,
    )
  })
})
