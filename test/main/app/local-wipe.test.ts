import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { eventContract } from '../../../src-preload/contract'
import { startCoreOnSandbox, type CoreOnSandbox } from '../../support/core-on-sandbox'
import { call, value } from './support'

let app: CoreOnSandbox | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function firstAppointment(core: CoreOnSandbox) {
  const refresh = await value<{ refreshId: string }>(core, 'refreshWorklist')
  const chunk = await value<{ items: { domain: string; appointmentId: string }[] }>(
    core,
    'getWorklistChunk',
    refresh.refreshId,
    0,
  )
  return { refreshId: refresh.refreshId, ...chunk.items[0]! }
}

describe('wipe local data (through the real dispatcher)', () => {
  it('always replaces the renderer cache key and empties main’s caches', async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 10 } })
    const before = await value<{ keyId: string }>(app, 'getCacheKey')
    const { refreshId } = await firstAppointment(app)
    await expect(value(app, 'wipeLocalData', { includeOutbox: false })).resolves.toEqual({
      wiped: ['main-caches', 'renderer-cache-key'],
    })
    const after = await value<{ keyId: string }>(app, 'getCacheKey')
    expect(after.keyId).not.toBe(before.keyId)
    await expect(call(app, 'getWorklistChunk', refreshId, 0)).resolves.toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })

  it('refuses the outbox while a submission is waiting, naming how many, and wipes nothing', async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 10 }, startSync: false })
    const before = await value<{ keyId: string }>(app, 'getCacheKey')
    const { domain, appointmentId, refreshId } = await firstAppointment(app)
    await value(app, 'enqueueComment', domain, appointmentId, { commentText: 'waiting', isAlert: false })
    const answer = await call(app, 'wipeLocalData', { includeOutbox: true })
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'refused',
        message: '1 submission is still waiting to be delivered or exported; nothing was wiped',
      },
    })
    expect(await value<unknown[]>(app, 'listOutbox')).toHaveLength(1)
    expect((await value<{ keyId: string }>(app, 'getCacheKey')).keyId).toBe(before.keyId)
    await expect(call(app, 'getWorklistChunk', refreshId, 0)).resolves.toMatchObject({ ok: true })
  })

  it('wipes the outbox once everything is delivered, and keeps the exported files', async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 10 } })
    const { domain, appointmentId } = await firstAppointment(app)
    await value(app, 'enqueueComment', domain, appointmentId, { commentText: 'delivered', isAlert: false })
    await app.services.sync?.drainUntilIdle({ timeoutMs: 10_000 })
    expect(await value<{ state: string }[]>(app, 'listOutbox')).toMatchObject([{ state: 'delivered' }])
    mkdirSync(join(app.dataDir, 'exports'), { recursive: true })
    writeFileSync(join(app.dataDir, 'exports', 'old-export.json'), '{}')
    await expect(value(app, 'wipeLocalData', { includeOutbox: true })).resolves.toEqual({
      wiped: ['main-caches', 'outbox', 'renderer-cache-key'],
    })
    expect(await value<unknown[]>(app, 'listOutbox')).toEqual([])
    expect(existsSync(join(app.dataDir, 'exports', 'old-export.json'))).toBe(true)
  })

  it('never deletes the export that is the only copy of a report QUBS did not take', async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 10, domains: ['acme'], seed: 5 } })
    const held = await value<{ id: string }>(app, 'enqueueReport', 'acme', 'GONE-APPOINTMENT', {
      reportText: 'Undelivered report text',
      reportStatus: 'preliminary',
      clinician: { name: '', providerNumber: '', email: '' },
      reportedAtUtc: new Date().toISOString(),
      submissionKey: 'k-1',
    })
    await app.services.sync?.drainUntilIdle({ timeoutMs: 10_000 })
    expect(app.services.outbox.get(held.id)).toMatchObject({ state: 'held', heldReason: 'not-pending' })
    const exported = await value<{ path: string }>(app, 'exportOutboxEntry', held.id)
    await expect(value(app, 'wipeLocalData', { includeOutbox: true })).resolves.toMatchObject({
      wiped: expect.arrayContaining(['outbox']),
    })
    expect(readFileSync(exported.path, 'utf8')).toContain('Undelivered report text')
  })
})

describe('requestLock', () => {
  it('pushes lockRequested with its reason to every window, valid for the contract', async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 10 }, startSync: false })
    app.core.requestLock('suspend')
    app.core.requestLock('os-lock')
    const locks = app.events.filter((e) => e.event === 'lockRequested')
    expect(locks.map((e) => e.payload)).toEqual([{ reason: 'suspend' }, { reason: 'os-lock' }])
    for (const { payload } of locks)
      expect(eventContract.lockRequested.payload.safeParse(payload).success).toBe(true)
  })
})
