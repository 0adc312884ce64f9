import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OutboxChanged, OutboxEntryView, OutboxExport } from '../../../src-preload/contract'
import { startCoreOnSandbox, type CoreOnSandbox } from '../../support/core-on-sandbox'
import { call, logText, value } from './support'

/** Comments through the outbox and the outbox actions, through the real dispatcher, against the sandbox. */
describe('outbox capabilities', () => {
  let app: CoreOnSandbox
  let pending: string[]

  beforeAll(async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 10, domains: ['acme'], seed: 5 } })
    pending = app.sandbox.current.admin.pendingAppointmentIds('acme', 10)
  })
  afterAll(() => app?.close())

  async function settle(): Promise<void> {
    await app.services.sync!.drainUntilIdle({ timeoutMs: 10_000 })
  }

  it('queues a comment durably before answering, then delivers it with outboxChanged events', async () => {
    app.events.length = 0
    const entry = await value<OutboxEntryView>(app, 'enqueueComment', 'acme', pending[0], {
      commentText: 'Canary comment text 7f3a',
      isAlert: true,
    })
    expect(entry).toMatchObject({ kind: 'comment', domain: 'acme', appointmentId: pending[0] })
    expect(app.services.outbox.get(entry.id)).not.toBeNull()
    await settle()
    const listed = await value<OutboxEntryView[]>(app, 'listOutbox')
    expect(listed.find((e) => e.id === entry.id)).toMatchObject({ state: 'delivered' })
    const changes = app.events
      .filter((e) => e.event === 'outboxChanged')
      .map((e) => e.payload as OutboxChanged)
      .filter((c) => c.entryId === entry.id)
    expect(changes.map((c) => c.state)).toContain('delivered')
    expect(app.sandbox.current.admin.effects().some((e) => e.appointmentId === pending[0])).toBe(true)
    expect(JSON.stringify(listed) + JSON.stringify(app.events) + logText(app)).not.toContain('Canary')
  })

  it('validates the comment again in main and queues nothing when it is blank', async () => {
    const before = app.services.outbox.list().length
    const envelope = await call(app, 'enqueueComment', 'acme', pending[1], {
      commentText: '   ',
      isAlert: false,
    })
    expect(envelope).toMatchObject({ ok: false })
    expect(app.services.outbox.list().length).toBe(before)
  })

  it('lists newest first', async () => {
    const first = await value<OutboxEntryView>(app, 'enqueueComment', 'acme', pending[2], {
      commentText: 'one',
      isAlert: false,
    })
    const second = await value<OutboxEntryView>(app, 'enqueueComment', 'acme', pending[3], {
      commentText: 'two',
      isAlert: false,
    })
    const ids = (await value<OutboxEntryView[]>(app, 'listOutbox')).map((e) => e.id)
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id))
    await settle()
  })

  it('holds a comment for a gone appointment; export writes a 0600 file in the data dir; discard after export; retry', async () => {
    const held = await value<OutboxEntryView>(app, 'enqueueComment', 'acme', 'GONE-APPOINTMENT', {
      commentText: 'Held canary text',
      isAlert: false,
    })
    await settle()
    expect(app.services.outbox.get(held.id)).toMatchObject({ state: 'held', heldReason: 'not-pending' })

    const early = await call(app, 'discardOutboxEntry', held.id)
    expect(early).toMatchObject({ ok: false, error: { code: 'conflict' } })

    const exported = await value<OutboxExport>(app, 'exportOutboxEntry', held.id)
    expect(dirname(exported.path)).toBe(join(app.dataDir, 'exports'))
    expect(statSync(exported.path).mode & 0o777).toBe(0o600)
    expect(readFileSync(exported.path, 'utf8')).toContain('Held canary text')
    expect(exported.entry.exportedAt).toEqual(expect.any(Number))

    const retried = await value<OutboxEntryView>(app, 'retryOutboxEntry', held.id)
    expect(['queued', 'sending']).toContain(retried.state)
    await settle()
    expect(app.services.outbox.get(held.id)).toMatchObject({ state: 'held' })

    const discarded = await value<OutboxEntryView>(app, 'discardOutboxEntry', held.id)
    expect(discarded.discardedAt).toEqual(expect.any(Number))
    // Nothing hidden: a discarded entry stays listed (as discarded, with when it was exported), so
    // the person still sees where its text went.
    const listed = await value<OutboxEntryView[]>(app, 'listOutbox')
    expect(listed.find((e) => e.id === held.id)).toMatchObject({
      discardedAt: expect.any(Number),
      exportedAt: exported.entry.exportedAt,
    })
  })

  it('answers not-found for an unknown entry', async () => {
    expect(await call(app, 'retryOutboxEntry', 'no-such-entry')).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })

  it('syncNow wakes the engine', async () => {
    expect(await value(app, 'syncNow')).toBeNull()
  })
})
