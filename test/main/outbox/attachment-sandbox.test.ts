import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { seededRandom, systemClock, type Clock } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import type { ConnectionSettings, QubsClient } from '../../../src-main/core/api'
import {
  EntrySender,
  Outbox,
  qubsDeliveryPort,
  RetryPolicy,
  type SendOutcome,
} from '../../../src-main/core/outbox'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { clientFor } from '../../support/sandbox-client'

/**
 * Finding B against the sandbox, which lists report attachments through the ordinary attachments
 * endpoints: the real client, outbox and sender, with the PUT's answer lost and then 16 minutes passing
 * (on the sandbox's clock and ours alike), so that the upload URL is expired by the time the network is
 * back. Under both readings of "url … when available": `url: null` until the content is uploaded (the
 * default), and a url presigned at once whose content is 404 until the PUT (`presignBeforeContent`) —
 * where only the content itself, compared with the stored bytes, proves the upload.
 */
const DOMAIN = 'acme'
const SIXTEEN_MINUTES = 16 * 60_000
const vault = new MemoryVault(Buffer.alloc(32, 6))

describe.each([
  { reading: 'url null until the content exists', presignBeforeContent: false },
  { reading: 'url presigned before the content exists', presignBeforeContent: true },
])(
  'report attachment whose upload answer was lost, against the sandbox ($reading)',
  ({ presignBeforeContent }) => {
    let sandbox: RunningSandbox
    let client: QubsClient
    let settings: ConnectionSettings
    let pending: string[]
    let dir: string
    let used = 0
    let offsetMs = 0
    /** Real time (the client's own retries sleep on it) plus the minutes the test moves both clocks on. */
    const clock: Clock = {
      now: () => Date.now() + offsetMs,
      sleep: (ms, signal) => systemClock.sleep(ms, signal),
    }

    beforeAll(async () => {
      sandbox = await startSandbox({
        appointments: 20,
        seed: 12,
        domains: [DOMAIN],
        strictness: { presignBeforeContent },
      })
      pending = sandbox.admin.pendingAppointmentIds(DOMAIN, 20)
      dir = mkdtempSync(join(tmpdir(), 'qubs-attach-it-'))
      ;({ client, settings } = await clientFor(sandbox, {
        vault,
        retry: { maxAttempts: 2, baseDelayMs: 10, capDelayMs: 50 },
        timeouts: { connectMs: 1_000, headersMs: 1_000, bodyMs: 1_000 },
      }))
    })
    afterAll(async () => {
      await client?.close()
      await sandbox?.close()
      rmSync(dir, { recursive: true, force: true })
    })

    let outbox: Outbox
    let sender: EntrySender
    let appointmentId: string

    beforeEach(async () => {
      used += 1
      appointmentId = pending[used]!
      outbox = await Outbox.open({ path: join(dir, `o-${used}.sqlite`), vault, clock, connection: settings })
      sender = new EntrySender({
        ledger: outbox.delivery,
        port: qubsDeliveryPort(client),
        clock,
        policy: new RetryPolicy({ random: seededRandom(1), baseMs: 1_000, maxMs: 5_000 }),
        logger: silentLogger,
      })
    })
    afterEach(() => {
      sandbox.admin.clearFaults()
      outbox.close()
    })

    const sendHead = async (): Promise<SendOutcome> => {
      const [ticket] = outbox.delivery.dueHeads({ now: clock.now(), exclude: new Set(), limit: 1 }).ready
      if (!ticket) throw new Error('nothing due')
      return sender.send(ticket, new AbortController().signal)
    }
    const passMinutes = (ms: number) => {
      offsetMs += ms
      sandbox.admin.advanceClock(ms)
    }
    const effectsFor = (kind: string) =>
      sandbox.admin.effects().filter((e) => e.kind === kind && e.appointmentId === appointmentId)
    const enqueue = () =>
      outbox.enqueueReportAttachment(DOMAIN, appointmentId, {
        fileName: 'report.pdf',
        contentType: 'application/pdf',
        bytes: Buffer.from(`%PDF-1.4 attachment for ${appointmentId}`),
      })

    it('the PUT reached storage but its answer was lost: after the URL expired, QUBS is asked and nothing is uploaded twice', async () => {
      const entry = await enqueue()
      // Storage handles the PUT (and the client's own retry of it), then resets the connection.
      sandbox.admin.injectNext({ kind: 'commit-then-drop', method: 'PUT', path: '^/blobs/upload/', count: 2 })
      expect((await sendHead()).result).toBe('retry')
      expect(effectsFor('upload')).toHaveLength(1)
      passMinutes(SIXTEEN_MINUTES)
      expect(await sendHead()).toEqual({ result: 'delivered', connectivity: 'online' })
      const [record] = effectsFor('report-attachment')
      expect(effectsFor('report-attachment')).toHaveLength(1)
      expect(effectsFor('upload')).toHaveLength(1)
      expect(outbox.get(entry.id)).toMatchObject({
        state: 'delivered',
        result: { attachmentGuid: record?.guid },
      })
      expect(outbox.attempts(entry.id).map((a) => [a.step, a.outcome])).toEqual([
        ['upload-url', 'step-ok'],
        ['upload', 'retry'],
        ['upload-check', 'delivered'],
      ])
    })

    it('the PUT never reached storage: whatever the url says, a new URL is used once and the content uploaded once', async () => {
      const entry = await enqueue()
      sandbox.admin.injectNext({ kind: 'reset', method: 'PUT', path: '^/blobs/upload/', count: 2 })
      expect((await sendHead()).result).toBe('retry')
      expect(effectsFor('upload')).toEqual([])
      const [first] = effectsFor('report-attachment')
      const listed = await client.getAttachment(DOMAIN, appointmentId, first!.guid!)
      expect(listed.guid).toBe(first!.guid)
      expect(listed.url === null || listed.url === undefined).toBe(!presignBeforeContent)
      passMinutes(SIXTEEN_MINUTES)
      expect((await sendHead()).result).toBe('delivered')
      const records = effectsFor('report-attachment')
      expect(records).toHaveLength(2)
      expect(effectsFor('upload').map((e) => e.guid)).toEqual([records[1]!.guid])
      expect(outbox.get(entry.id)?.result).toEqual({ attachmentGuid: records[1]!.guid })
    })

    it('a crash after a successful PUT, restarted 13 minutes later: delivered from what QUBS says, one upload', async () => {
      const entry = await enqueue()
      const crash = new Error('killed after the PUT')
      const crashing = new EntrySender({
        ledger: outbox.delivery,
        port: qubsDeliveryPort(client),
        clock,
        policy: new RetryPolicy({ random: seededRandom(1) }),
        logger: silentLogger,
        probe: (point) => {
          if (point === 'uploaded') throw crash
        },
      })
      const [ticket] = outbox.delivery.dueHeads({ now: clock.now(), exclude: new Set(), limit: 1 }).ready
      await expect(crashing.send(ticket!, new AbortController().signal)).rejects.toBe(crash)
      outbox.close()
      passMinutes(13 * 60_000)
      outbox = await Outbox.open({ path: join(dir, `o-${used}.sqlite`), vault, clock, connection: settings })
      sender = new EntrySender({
        ledger: outbox.delivery,
        port: qubsDeliveryPort(client),
        clock,
        policy: new RetryPolicy({ random: seededRandom(1) }),
        logger: silentLogger,
      })
      expect((await sendHead()).result).toBe('delivered')
      expect(effectsFor('report-attachment')).toHaveLength(1)
      expect(effectsFor('upload')).toHaveLength(1)
      expect(outbox.get(entry.id)?.result).toEqual({ attachmentGuid: effectsFor('upload')[0]!.guid })
    })
  },
)
