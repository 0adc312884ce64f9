import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import type { Outbox } from '../../../src-main/core/outbox'
import { freshOutboxEachTest, PHI, TEST_CONNECTION, type Harness } from './support'

/** Issue 6/11, point 2: a submission reaches only the QUBS it was written for. */
describe('outbox connection binding', () => {
  let h: Harness
  let outbox: Outbox
  freshOutboxEachTest(
    (fresh, opened) => ((h = fresh), (outbox = opened)),
    () => outbox,
  )

  const due = (box: Outbox) =>
    box.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 10 }).ready.map((t) => t.id)

  it('holds an entry queued against another host as "connection changed", naming the part, and resends it to the current one on retry', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    outbox.close()
    outbox = await h.open({ connection: { ...TEST_CONNECTION, apiBaseUrl: 'https://other-host.test' } })
    expect(due(outbox)).toEqual([])
    const held = outbox.get(entry.id)
    expect(held).toMatchObject({ state: 'held', heldReason: 'connection-changed' })
    expect(held?.heldDetail).toMatch(/API base URL/)
    expect(held?.heldDetail).not.toMatch(/token URL|client id/)
    const retried = await outbox.retryHeld(entry.id)
    expect(retried).toMatchObject({ state: 'queued', heldReason: null })
    expect(retried.idempotencyKey).not.toBe(entry.idempotencyKey)
    expect(due(outbox)).toEqual([entry.id])
    // Bound to the current connection now: reopened with it, the entry stays queued.
    outbox.close()
    outbox = await h.open({ connection: { ...TEST_CONNECTION, apiBaseUrl: 'https://other-host.test' } })
    expect(outbox.get(entry.id)).toMatchObject({ state: 'queued' })
  })

  it('names every part that changed: token URL, client id, and a domain no longer configured', async () => {
    const entry = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    outbox.close()
    outbox = await h.open({
      connection: { ...TEST_CONNECTION, tokenUrl: 'https://auth2.test/t', clientId: 'c2', domains: ['demo'] },
    })
    const detail = outbox.get(entry.id)?.heldDetail ?? ''
    expect(detail).toMatch(/token URL/)
    expect(detail).toMatch(/client id/)
    expect(detail).toMatch(/domain/)
    // The domain is not configured now: a retry cannot bind it anywhere.
    await expect(outbox.retryHeld(entry.id)).rejects.toMatchObject({ code: 'not-configured' })
  })

  it('refuses at enqueue a domain that is not configured, and everything when no connection is', async () => {
    await expect(
      outbox.enqueueReport('elsewhere', 'A1', { reportText: PHI.reportText, reportStatus: 'final' }),
    ).rejects.toMatchObject({ code: 'not-configured' })
    outbox.close()
    outbox = await h.open({ connection: null })
    await expect(outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })).rejects.toMatchObject(
      {
        code: 'not-configured',
      },
    )
    expect(outbox.list()).toEqual([])
  })

  it('holds entries written before the binding existed (no recorded connection) instead of guessing', async () => {
    const entry = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    outbox.close()
    const raw = new DatabaseSync(h.path)
    raw
      .prepare('UPDATE entries SET bound_token_url = NULL, bound_api_base_url = NULL, bound_client_id = NULL')
      .run()
    raw.close()
    outbox = await h.open()
    expect(outbox.get(entry.id)).toMatchObject({ state: 'held', heldReason: 'connection-changed' })
    expect(outbox.get(entry.id)?.heldDetail).toMatch(/before/)
  })

  it('never opens a demo outbox as a configured one, nor the reverse', async () => {
    outbox.close()
    await expect(h.open({ mode: 'demo' })).rejects.toMatchObject({
      name: 'OutboxOpenError',
      code: 'wrong-mode',
    })
    outbox = await h.open({ mode: 'configured' })
  })
})
