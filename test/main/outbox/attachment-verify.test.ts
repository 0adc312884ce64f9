import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import { EntrySender, RetryPolicy, type DeliveryPort, type Outbox } from '../../../src-main/core/outbox'
import { harness, qubsError, ScriptedPort, type Harness } from './support'

/**
 * An attachment is delivered on a 2xx PUT, or on content confirmed equal to the stored bytes (fetched
 * through the attachment's presigned URL, compared by SHA-256) — never because QUBS lists it with a
 * non-null `url`, which the reference does not promise means the content exists. (The same against the
 * sandbox, with `presignBeforeContent`, is in attachment-sandbox.test.ts.)
 */
const bytes = Buffer.from('%PDF-1.7 report attachment to be verified\n%%EOF\n')

describe('with a scripted QUBS', () => {
  let h: Harness
  let outbox: Outbox
  let port: ScriptedPort
  let sender: EntrySender

  const sendHead = async () => {
    const [ticket] = outbox.delivery.dueHeads({ now: h.clock.now(), exclude: new Set(), limit: 1 }).ready
    if (!ticket) throw new Error('nothing due')
    return sender.send(ticket, new AbortController().signal)
  }
  const attach = () =>
    outbox.enqueueReportAttachment('acme', 'A1', { fileName: 'r.pdf', contentType: 'application/pdf', bytes })
  /** The PUT's answer is lost, then the URL expires: the next send must find out what storage holds. */
  const loseThePutAnswer = async () => {
    port.script('uploadReportAttachment', { error: qubsError({ kind: 'network' }) })
    expect((await sendHead()).result).toBe('retry')
    h.clock.advance(16 * 60_000)
  }

  beforeEach(async () => {
    h = harness(33)
    outbox = await h.open()
    port = new ScriptedPort(h.clock)
    sender = new EntrySender({
      ledger: outbox.delivery,
      port: port satisfies DeliveryPort,
      clock: h.clock,
      policy: new RetryPolicy({ random: seededRandom(2), baseMs: 1_000 }),
      logger: silentLogger,
    })
  })
  afterEach(() => {
    if (!outbox.closed) outbox.close()
    h.cleanup()
  })

  it('content confirmed equal to the stored bytes: delivered without a second upload', async () => {
    const entry = await attach()
    await loseThePutAnswer()
    const guid = `ag-${entry.idempotencyKey}.u1`
    port.landed.add(guid)
    expect((await sendHead()).result).toBe('delivered')
    expect(port.callsOf('downloadAttachment')).toMatchObject([{ attachmentGuid: guid }])
    expect(port.callsOf('uploadReportAttachment')).toHaveLength(1)
    expect(outbox.get(entry.id)?.result).toEqual({ attachmentGuid: guid })
  })

  it('a url whose content is other bytes: not delivered from it; a new URL and one more upload', async () => {
    const entry = await attach()
    await loseThePutAnswer()
    const first = `ag-${entry.idempotencyKey}.u1`
    port.landed.add(first)
    port.sentBytes.set(first, Buffer.from('%PDF-1.7 truncated'))
    expect((await sendHead()).result).toBe('delivered')
    expect(port.callsOf('uploadReportAttachment')).toHaveLength(2)
    expect(outbox.get(entry.id)?.result).toEqual({ attachmentGuid: `ag-${entry.idempotencyKey}.u2` })
  })

  it('a url that answers 404 (presigned before the content existed): a new URL and one more upload', async () => {
    const entry = await attach()
    await loseThePutAnswer()
    // QUBS lists the attachment with a url, but storage holds nothing behind it.
    port.script('getAttachment', {
      answer: { guid: `ag-${entry.idempotencyKey}.u1`, url: 'https://download.test/nothing-yet' },
    })
    expect((await sendHead()).result).toBe('delivered')
    expect(port.callsOf('downloadAttachment')).toHaveLength(1)
    expect(port.callsOf('uploadReportAttachment')).toHaveLength(2)
    expect(outbox.get(entry.id)?.result).toEqual({ attachmentGuid: `ag-${entry.idempotencyKey}.u2` })
  })

  it('a verification that cannot complete (storage unreachable) is retried, not taken as delivered', async () => {
    const entry = await attach()
    await loseThePutAnswer()
    port.landed.add(`ag-${entry.idempotencyKey}.u1`)
    port.script('downloadAttachment', { error: qubsError({ kind: 'network' }) })
    expect((await sendHead()).result).toBe('retry')
    expect(outbox.get(entry.id)?.state).toBe('queued')
    expect(port.callsOf('createReportAttachmentUrls')).toHaveLength(1)
  })

  it('a PUT answered with anything but 2xx is not a delivery', async () => {
    const entry = await attach()
    port.script('uploadReportAttachment', { answer: { status: 307, size: bytes.length } })
    expect((await sendHead()).result).toBe('retry')
    expect(outbox.get(entry.id)?.state).toBe('queued')
  })
})
