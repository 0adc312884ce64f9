import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { ReporterServices } from '../../../src-main/core/reporter-services'
import {
  HeldResponses,
  sendJson,
  stallTokenEndpoint,
  startTestApi,
  TEST_CLIENT_ID,
  type TestApi,
} from '../api/support'

/**
 * Shutting the services down never hangs: with the token endpoint accepting and never answering, and
 * a report being delivered, close() returns within its bound, and the report is neither lost nor
 * duplicated — the next start sends it with the same key.
 */
let api: TestApi | undefined
let dir: string | undefined
const stuck = new HeldResponses()
afterEach(async () => {
  stuck.destroyAll()
  await api?.close()
  api = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const receipt = { reportGuid: 'r-1', reportStatus: 'final', reportedAtUtc: '2026-01-01T00:00:00Z' }

describe('ReporterServices.close', () => {
  it('returns promptly with a token grant stuck, and the next start delivers the report once', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, receipt))
    const release = stallTokenEndpoint(api, stuck)
    dir = mkdtempSync(`${tmpdir()}/qubs-shutdown-`)
    const open = () =>
      ReporterServices.open({
        dataDir: dir!,
        vault: api!.vault,
        connection: {
          tokenUrl: `${api!.server.origin}/oauth2/token`,
          apiBaseUrl: api!.server.origin,
          clientId: TEST_CLIENT_ID,
          domains: ['acme'],
        },
        logger: silentLogger,
        shutdownTimeoutMs: 300,
      })
    const services = await open()
    const entry = await services.outbox.enqueueReport('acme', 'A1', {
      reportText: 'Text.',
      reportStatus: 'final',
    })
    services.sync?.start()
    while (!api.server.requests.some((request) => request.path === '/oauth2/token'))
      await new Promise((resolve) => setTimeout(resolve, 10))
    const startedAt = Date.now()
    await services.close()
    expect(Date.now() - startedAt).toBeLessThan(2_000)

    release()
    const again = await open()
    try {
      expect(await again.sync?.drainUntilIdle({ timeoutMs: 10_000 })).toEqual({ idle: true, remaining: 0 })
      expect(again.outbox.get(entry.id)?.state).toBe('delivered')
      expect(api.apiRequests().map((request) => request.headers['idempotency-key'])).toEqual([
        entry.idempotencyKey,
      ])
    } finally {
      await again.close()
    }
  })
})
