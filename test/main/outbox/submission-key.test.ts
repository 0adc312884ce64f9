import { describe, expect, it } from 'vitest'
import type { Outbox } from '../../../src-main/core/outbox'
import { freshOutboxEachTest, PHI, type Harness } from './support'

/** Issue 6/11, point 4: a caller-chosen submission key makes a re-run safe. */
describe('outbox submission keys', () => {
  let h: Harness
  let outbox: Outbox
  freshOutboxEachTest(
    (fresh, opened) => ((h = fresh), (outbox = opened)),
    () => outbox,
  )

  const report = { reportText: PHI.reportText, reportStatus: 'final' } as const

  it('the same key and the same payload return the existing entry, even after time passed and a retry', async () => {
    const first = await outbox.enqueueReport('acme', 'A1', report, { idempotencyKey: 'script-run-42' })
    expect(first.idempotencyKey).toBe('script-run-42')
    expect(outbox.findBySubmissionKey('script-run-42')?.id).toBe(first.id)
    h.clock.advance(60_000)
    const again = await outbox.enqueueReport('acme', 'A1', report, { idempotencyKey: 'script-run-42' })
    expect(again.id).toBe(first.id)
    expect(outbox.list()).toHaveLength(1)
    const attempt = outbox.delivery.beginAttempt(first.id, 'report', first.idempotencyKey)
    outbox.delivery.markHeld(first.id, attempt, { reason: 'invalid', detail: 'x', mayHaveCommitted: false })
    await outbox.retryHeld(first.id)
    const afterRetry = await outbox.enqueueReport('acme', 'A1', report, { idempotencyKey: 'script-run-42' })
    expect(afterRetry.id).toBe(first.id)
    expect(outbox.list()).toHaveLength(1)
  })

  it('the same key with another payload, kind or appointment is refused and queues nothing', async () => {
    await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText }, { idempotencyKey: 'k-1' })
    const refusals = [
      outbox.enqueueComment('acme', 'A1', { commentText: 'other text' }, { idempotencyKey: 'k-1' }),
      outbox.enqueueComment('acme', 'A2', { commentText: PHI.commentText }, { idempotencyKey: 'k-1' }),
      outbox.enqueueReport('acme', 'A1', report, { idempotencyKey: 'k-1' }),
    ]
    for (const refusal of refusals) {
      const error = await refusal.then(
        () => null,
        (e: unknown) => e as Error & { code?: string },
      )
      expect(error).toMatchObject({ code: 'key-conflict' })
      expect(error?.message).not.toContain('Testpatient')
    }
    expect(outbox.list()).toHaveLength(1)
  })

  it('validates the key as the reference says: printable ASCII without spaces, at most 128 characters', async () => {
    for (const bad of ['', 'has space', 'ü-key', 'x'.repeat(129)]) {
      await expect(
        outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText }, { idempotencyKey: bad }),
      ).rejects.toMatchObject({ code: 'invalid-input' })
    }
    const longest = 'k'.repeat(128)
    const entry = await outbox.enqueueReportAttachment(
      'acme',
      'A1',
      { fileName: PHI.fileName, contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4') },
      { idempotencyKey: longest },
    )
    expect(entry.idempotencyKey).toBe(longest)
    // Upload keys derived from a long key still fit the header's 128 characters.
    expect(outbox.delivery.ensureUploadKey(entry.id).key.length).toBeLessThanOrEqual(128)
    expect(outbox.list()).toHaveLength(1)
  })
})
