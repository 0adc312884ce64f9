import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Outbox } from '../../../src-main/core/outbox'
import { SyncEngine } from '../../../src-main/core/sync'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { clientFor } from '../../support/sandbox-client'

/**
 * The documents allow a QUBS that takes an appointment off the pending list once its final report
 * arrives, and that checks the status before replaying a known key. Against such a server a final
 * report whose answer was lost comes back 404 on the retry: the outbox must not claim it failed, nor
 * send it again, but hold it and tell the person it may already be in QUBS.
 */
describe('a final report whose answer was lost, against a stricter QUBS', () => {
  let sandbox: RunningSandbox
  let dir: string
  afterEach(async () => {
    await sandbox.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function deliverWithLostAnswer(strict: boolean) {
    sandbox = await startSandbox({
      appointments: 10,
      domains: ['acme'],
      strictness: { statusBeforeReplay: strict, finalReportLeavesPending: strict },
    })
    dir = mkdtempSync(join(tmpdir(), 'qubs-strict-'))
    const { client, vault, settings } = await clientFor(sandbox, {
      retry: { maxAttempts: 3, baseDelayMs: 10, capDelayMs: 50 },
    })
    const outbox = await Outbox.open({ path: join(dir, 'outbox.sqlite'), vault, connection: settings })
    const engine = new SyncEngine({ outbox, delivery: client, retry: { baseMs: 10, maxMs: 50, minMs: 5 } })
    try {
      const [appointmentId] = sandbox.admin.pendingAppointmentIds('acme', 1)
      const entry = await outbox.enqueueReport('acme', appointmentId!, {
        reportText: 'Final.',
        reportStatus: 'final',
      })
      sandbox.admin.injectNext({ kind: 'commit-then-drop', method: 'POST', path: '/report$' })
      await engine.drainUntilIdle({ timeoutMs: 20_000 })
      const reports = sandbox.admin.effects().filter((e) => e.kind === 'report')
      return { summary: outbox.get(entry.id)!, reports }
    } finally {
      await engine.stop()
      await client.close()
      outbox.close()
    }
  }

  it('as documented by default: the retry with the same key gets the original answer', async () => {
    const { summary, reports } = await deliverWithLostAnswer(false)
    expect(summary.state).toBe('delivered')
    expect(reports).toHaveLength(1)
  })

  it('stricter server: held as not pending, saying it may already be applied, and never sent twice', async () => {
    const { summary, reports } = await deliverWithLostAnswer(true)
    expect(summary).toMatchObject({ state: 'held', heldReason: 'not-pending' })
    expect(summary.heldDetail).toMatch(/may already have been applied/)
    expect(reports).toHaveLength(1)
  })
})

/**
 * "Upload URLs are intended for a single successful PUT." Against a storage that refuses any second
 * PUT to a used URL, a PUT whose answer was lost is retried, refused — and the outbox must then learn
 * from QUBS that the content is there instead of uploading it again under a new URL.
 */
describe('a report attachment whose PUT answer was lost, against single-use upload URLs', () => {
  it('is delivered once: the refused retry leads to QUBS, which already has the content', async () => {
    const sandbox = await startSandbox({
      appointments: 10,
      domains: ['acme'],
      strictness: { singleUsePutUrls: true },
    })
    const dir = mkdtempSync(join(tmpdir(), 'qubs-strict-put-'))
    const { client, vault, settings } = await clientFor(sandbox, {
      retry: { maxAttempts: 3, baseDelayMs: 10, capDelayMs: 50 },
    })
    const outbox = await Outbox.open({ path: join(dir, 'outbox.sqlite'), vault, connection: settings })
    const engine = new SyncEngine({ outbox, delivery: client, retry: { baseMs: 10, maxMs: 50, minMs: 5 } })
    try {
      const [appointmentId] = sandbox.admin.pendingAppointmentIds('acme', 1)
      const bytes = Buffer.concat([
        Buffer.from('%PDF-1.4\n'),
        Buffer.alloc(4096, 32),
        Buffer.from('\n%%EOF\n'),
      ])
      const entry = await outbox.enqueueReportAttachment('acme', appointmentId!, {
        fileName: 'report.pdf',
        contentType: 'application/pdf',
        bytes,
      })
      sandbox.admin.injectNext({ kind: 'commit-then-drop', method: 'PUT' })
      await engine.drainUntilIdle({ timeoutMs: 20_000 })
      expect(outbox.get(entry.id)?.state).toBe('delivered')
      const effects = sandbox.admin.effects()
      expect(effects.filter((e) => e.kind === 'upload')).toHaveLength(1)
      expect(effects.filter((e) => e.kind === 'report-attachment')).toHaveLength(1)
    } finally {
      await engine.stop()
      await client.close()
      outbox.close()
      await sandbox.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
