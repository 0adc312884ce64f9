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
    const { client, vault } = await clientFor(sandbox, {
      retry: { maxAttempts: 3, baseDelayMs: 10, capDelayMs: 50 },
    })
    const outbox = await Outbox.open({ path: join(dir, 'outbox.sqlite'), vault })
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
