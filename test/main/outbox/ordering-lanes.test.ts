import { describe, expect, it } from 'vitest'
import type { Outbox } from '../../../src-main/core/outbox'
import { freshOutboxEachTest, PHI, type Harness } from './support'

/** Issue 6/11, point 3: strict per-appointment order among reports only; comments keep their time. */
describe('outbox ordering lanes', () => {
  let h: Harness
  let outbox: Outbox
  freshOutboxEachTest(
    (fresh, opened) => ((h = fresh), (outbox = opened)),
    () => outbox,
  )

  const due = () =>
    outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 10 }).ready.map((t) => t.id)

  function hold(entryId: string): void {
    const attempt = outbox.delivery.beginAttempt(entryId, 'report', null)
    outbox.delivery.markHeld(entryId, attempt, {
      reason: 'invalid',
      detail: 'refused',
      mayHaveCommitted: false,
    })
  }

  it('a comment and an attachment do not wait behind a held report; a later report does', async () => {
    const preliminary = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'preliminary',
    })
    const comment = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    const attachment = await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: PHI.fileName,
      contentType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.7'),
    })
    const final = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.finalText,
      reportStatus: 'final',
    })
    // Reports of one appointment go strictly in order: only the first is due.
    expect(due()).toEqual([preliminary.id, comment.id, attachment.id])
    hold(preliminary.id)
    expect(due()).toEqual([comment.id, attachment.id])
    const listed = new Map(outbox.list().map((e) => [e.id, e.blockedByHeld]))
    expect(listed).toEqual(
      new Map([
        [preliminary.id, false],
        [comment.id, false],
        [attachment.id, false],
        [final.id, true],
      ]),
    )
    expect(outbox.get(final.id)?.blockedByHeld).toBe(true)
    expect(outbox.get(comment.id)?.blockedByHeld).toBe(false)
    expect(outbox.delivery.counts()).toMatchObject({ queued: 3, held: 1, blocked: 1 })
    // In flight, the final's lane is the appointment's report lane; the comment has a lane of its own.
    const lanes = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 10 }).ready
    expect(new Set(lanes.map((t) => t.lane)).size).toBe(2)
  })

  it('freezes commentDateTime at enqueue, so a late send still says when the comment was written', async () => {
    const written = h.clock.now()
    const entry = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText, isAlert: true })
    h.clock.advance(6 * 60 * 60 * 1000)
    expect(outbox.delivery.loadPayload(entry.id)).toEqual({
      kind: 'comment',
      comment: {
        commentText: PHI.commentText,
        isAlert: true,
        commentDateTime: new Date(written).toISOString(),
      },
    })
    const given = await outbox.enqueueComment('acme', 'A1', {
      commentText: PHI.commentText,
      commentDateTime: '2026-01-05T09:00:00+01:00',
    })
    expect(outbox.delivery.loadPayload(given.id)).toMatchObject({
      comment: { commentDateTime: '2026-01-05T08:00:00.000Z' },
    })
  })
})
