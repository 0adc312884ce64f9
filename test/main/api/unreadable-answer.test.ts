import { mkdtempSync, rmSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import { EntrySender, Outbox, RetryPolicy } from '../../../src-main/core/outbox'
import { TEST_CONNECTION } from '../outbox/support'
import { qubsFailure, startTestApi, type TestApi } from './support'

/**
 * A 2xx to a POST means QUBS applied it, whatever its body: an empty, cut or unparseable answer is
 * "applied, answer unreadable" — a typed result, never a retry and never a failure that could lead
 * to holding or resending the submission.
 */
let api: TestApi | undefined
let dir: string | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const report = { reportText: 'No acute abnormality.', reportStatus: 'final' }

function answer(status: number, body: string): (response: ServerResponse) => void {
  return (response) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-applied-1' })
    response.end(body)
  }
}

const BODIES: readonly [string, string][] = [
  ['empty', ''],
  ['cut short', '{"reportGuid":"4b7f0a91-'],
  ['not JSON', '<html>OK</html>'],
  ['in another shape', '{"unexpected":true}'],
]

describe('a 2xx POST whose answer cannot be read', () => {
  it.each(BODIES)(
    'a report answered 201 with a body %s is applied, answer unreadable, sent once',
    async (_what, body) => {
      api = await startTestApi((_request, response) => answer(201, body)(response))
      const result = await api.client().submitReport('acme', 'A1', report, { idempotencyKey: 'key-1' })
      expect(result).toMatchObject({ answerUnreadable: true, status: 201, requestId: 'req-applied-1' })
      expect('correlationId' in result && result.correlationId).toMatch(/^[0-9a-f-]{36}$/)
      expect(api.apiRequests()).toHaveLength(1)
    },
  )

  it('a report answered 201 whose body breaks off is applied, answer unreadable, sent once', async () => {
    api = await startTestApi((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': '400' })
      response.write('{"reportGuid":')
      setTimeout(() => response.socket?.destroy(), 20)
    })
    const result = await api.client().submitReport('acme', 'A1', report, { idempotencyKey: 'key-1' })
    expect(result).toMatchObject({ answerUnreadable: true, status: 201 })
    expect(api.apiRequests()).toHaveLength(1)
  })

  it('a comment answered 200 with an empty body is applied, answer unreadable, sent once', async () => {
    api = await startTestApi((_request, response) => answer(200, '')(response))
    const result = await api
      .client()
      .createComment('acme', 'A1', { commentText: 'Seen.' }, { idempotencyKey: 'k' })
    expect(result).toMatchObject({ answerUnreadable: true, status: 200 })
    expect(api.apiRequests()).toHaveLength(1)
  })

  it('a GET with an unreadable answer is still an invalid response', async () => {
    api = await startTestApi((_request, response) => answer(200, '')(response))
    expect(await qubsFailure(api.client().listSites('acme'))).toMatchObject({ kind: 'invalid-response' })
  })

  it('the outbox records such a report as delivered with an unreadable answer, without a retry', async () => {
    api = await startTestApi((_request, response) => answer(201, '{"reportGuid":')(response))
    dir = mkdtempSync(join(tmpdir(), 'qubs-unreadable-'))
    const outbox = await Outbox.open({
      path: join(dir, 'o.sqlite'),
      vault: api.vault,
      logger: silentLogger,
      connection: TEST_CONNECTION,
    })
    try {
      const sender = new EntrySender({
        ledger: outbox.delivery,
        port: api.client(),
        clock: api.clock,
        policy: new RetryPolicy({ random: seededRandom(1) }),
        logger: silentLogger,
      })
      const entry = await outbox.enqueueReport('acme', 'A1', report)
      const [ticket] = outbox.delivery.dueHeads({ now: Date.now(), exclude: new Set(), limit: 1 }).ready
      expect(await sender.send(ticket!, new AbortController().signal)).toEqual({
        result: 'delivered',
        connectivity: 'online',
      })
      expect(outbox.get(entry.id)).toMatchObject({ state: 'delivered', result: { answerUnreadable: true } })
      expect(api.apiRequests()).toHaveLength(1)
    } finally {
      outbox.close()
    }
  })
})
