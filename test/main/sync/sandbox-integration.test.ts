import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSettings, QubsClient } from '../../../src-main/core/api'
import { Outbox, qubsDeliveryPort } from '../../../src-main/core/outbox'
import { SyncEngine } from '../../../src-main/core/sync'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { FAULT_KINDS, startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { clientFor } from '../../support/sandbox-client'

/** The real engine, outbox and client against the sandbox, with every fault kind injected. */
const DOMAIN = 'acme'
let sandbox: RunningSandbox
let client: QubsClient
let settings: ConnectionSettings
let pending: string[]
let dir: string
let used = 0
const vault = new MemoryVault(Buffer.alloc(32, 4))

beforeAll(async () => {
  sandbox = await startSandbox({
    appointments: 40,
    seed: 9,
    domains: [DOMAIN],
    faults: { retryAfterSeconds: 1 },
  })
  pending = sandbox.admin.pendingAppointmentIds(DOMAIN, 40)
  dir = mkdtempSync(join(tmpdir(), 'qubs-sync-it-'))
  ;({ client, settings } = await clientFor(sandbox, {
    vault,
    retry: { maxAttempts: 2, baseDelayMs: 20, capDelayMs: 100 },
    timeouts: { connectMs: 1_000, headersMs: 800, bodyMs: 800 },
  }))
})
afterAll(async () => {
  await client?.close()
  await sandbox?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function withEngine<T>(work: (outbox: Outbox, engine: SyncEngine) => Promise<T>): Promise<T> {
  used += 1
  const outbox = await Outbox.open({ path: join(dir, `o-${used}.sqlite`), vault, connection: settings })
  const engine = new SyncEngine({
    outbox,
    delivery: qubsDeliveryPort(client),
    retry: { baseMs: 20, maxMs: 200, minMs: 5 },
  })
  try {
    return await work(outbox, engine)
  } finally {
    await engine.stop()
    outbox.close()
  }
}

describe('sync engine against the sandbox', () => {
  it.each(FAULT_KINDS)(
    'delivers exactly once through a %s fault on every kind of request',
    async (kind) => {
      await withEngine(async (outbox, engine) => {
        const [a, b] = [pending[used % (pending.length - 2)]!, pending[(used + 10) % (pending.length - 2)]!]
        const att = await outbox.enqueueReportAttachment(DOMAIN, a, {
          fileName: 'r.pdf',
          contentType: 'application/pdf',
          bytes: Buffer.from('%PDF-1.4 x'),
        })
        const prelim = await outbox.enqueueReport(DOMAIN, a, {
          reportText: 'Preliminary text.',
          reportStatus: 'preliminary',
        })
        const final = await outbox.enqueueReport(DOMAIN, a, {
          reportText: 'Final text.',
          reportStatus: 'final',
        })
        const comment = await outbox.enqueueComment(DOMAIN, b, { commentText: 'A comment.' })
        for (const path of ['/report$', '/comments$', '/report/attachments$'])
          sandbox.admin.injectNext({ kind, method: 'POST', path, count: 1 })
        sandbox.admin.injectNext({ kind, method: 'PUT', count: 1 })
        expect(await engine.drainUntilIdle({ timeoutMs: 15_000 })).toEqual({ idle: true, remaining: 0 })
        sandbox.admin.clearFaults()
        const effects = sandbox.admin.effects()
        for (const entry of [prelim, final, comment])
          expect(effects.filter((e) => e.idempotencyKey === entry.idempotencyKey)).toHaveLength(1)
        const delivered = outbox.get(att.id)
        expect(
          effects.filter((e) => e.kind === 'upload' && e.guid === delivered?.result?.attachmentGuid),
        ).toHaveLength(1)
        // Reports of an appointment go in order; the attachment has a lane of its own.
        const seq = (key: string) => effects.find((e) => e.idempotencyKey === key)!.seq
        expect(seq(prelim.idempotencyKey)).toBeLessThan(seq(final.idempotencyKey))
        expect(effects.find((e) => e.idempotencyKey === final.idempotencyKey)?.reportStatus).toBe('final')
      })
    },
    30_000,
  )

  it('holds a report for an appointment that is no longer pending, with the server ids, and goes on with others', async () => {
    await withEngine(async (outbox, engine) => {
      const gone = pending.at(-1)!
      sandbox.admin.setAppointmentStatus(DOMAIN, gone, 'FINALISED')
      const held = await outbox.enqueueReport(DOMAIN, gone, { reportText: 'Text.', reportStatus: 'final' })
      const later = await outbox.enqueueReport(DOMAIN, gone, { reportText: 'After.', reportStatus: 'final' })
      const other = await outbox.enqueueComment(DOMAIN, pending.at(-2)!, { commentText: 'Other.' })
      expect(await engine.drainUntilIdle({ timeoutMs: 15_000 })).toEqual({ idle: true, remaining: 1 })
      expect(outbox.get(held.id)).toMatchObject({
        state: 'held',
        heldReason: 'not-pending',
        lastError: { status: 404 },
      })
      expect(outbox.get(held.id)?.lastError?.requestId).toBeTruthy()
      expect(outbox.get(later.id)).toMatchObject({ state: 'queued', blockedByHeld: true })
      expect(outbox.get(other.id)?.state).toBe('delivered')
    })
  }, 30_000)
})
