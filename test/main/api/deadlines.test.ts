import type { ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import {
  HeldResponses,
  qubsFailure,
  sendJson,
  stallTokenEndpoint,
  startTestApi,
  type TestApi,
} from './support'

/**
 * Nothing waits forever. Every operation has an overall deadline that ends it whatever the per-phase
 * timeouts let through (a body trickled a byte at a time never trips a body timeout); the shared token
 * grant has one too, and a later caller waits at most its own deadline for it; close() bounds its wait
 * for what is still in flight. Real loopback servers, real (short) time.
 */
let api: TestApi | undefined
const stuck = new HeldResponses()
afterEach(async () => {
  stuck.destroyAll()
  await api?.close()
  api = undefined
})

const report = { reportText: 'No acute abnormality.', reportStatus: 'final' }

/** Answers 200 and then sends one byte of the body every 300 ms, forever. */
function trickle(response: ServerResponse): void {
  stuck.hold(response)
  response.writeHead(200, { 'content-type': 'application/json' })
  response.write('[')
  const timer = setInterval(() => response.write(' '), 300)
  response.on('close', () => clearInterval(timer))
}

async function elapsedMs(promise: Promise<unknown>): Promise<number> {
  const startedAt = Date.now()
  await promise.catch(() => undefined)
  return Date.now() - startedAt
}

describe('the overall deadline of an operation', () => {
  it('ends a GET whose body trickles in below the body timeout', async () => {
    api = await startTestApi((_request, response) => trickle(response))
    const client = api.client({ timeouts: { bodyMs: 1_000, operationMs: 1_500 } })
    const startedAt = Date.now()
    const error = await qubsFailure(client.listSites('acme'))
    expect(Date.now() - startedAt).toBeLessThan(4_000)
    expect(error).toMatchObject({ kind: 'timeout', notSent: false })
    expect(error.correlationId).toBeDefined()
  })

  it('ends a POST the same way, as "may have been applied"', async () => {
    api = await startTestApi((_request, response) => trickle(response))
    const client = api.client({ timeouts: { bodyMs: 1_000, operationMs: 1_500 } })
    const error = await qubsFailure(client.submitReport('acme', 'A1', report, { idempotencyKey: 'k-1' }))
    expect(error).toMatchObject({ kind: 'timeout', mayHaveCommitted: true })
  })

  it('spans the retries: an operation does not get a fresh deadline per attempt', async () => {
    api = await startTestApi((_request, response) => trickle(response))
    const client = api.client({ timeouts: { bodyMs: 400, operationMs: 1_000 }, retry: { maxAttempts: 10 } })
    expect(await elapsedMs(client.listSites('acme'))).toBeLessThan(3_000)
  })
})

describe('a token endpoint that accepts and never answers', () => {
  let release = (): void => undefined
  async function stuckTokenEndpoint(): Promise<TestApi> {
    const started = await startTestApi((_request, response) => sendJson(response, 200, []))
    release = stallTokenEndpoint(started, stuck)
    return started
  }

  it('fails the call by its deadline, as never sent', async () => {
    api = await stuckTokenEndpoint()
    const client = api.client({ timeouts: { headersMs: 30_000, operationMs: 800 } })
    const startedAt = Date.now()
    const error = await qubsFailure(client.submitReport('acme', 'A1', report, { idempotencyKey: 'k-1' }))
    expect(Date.now() - startedAt).toBeLessThan(3_000)
    expect(error).toMatchObject({ kind: 'timeout', notSent: true, mayHaveCommitted: false })
    expect(api.apiRequests()).toHaveLength(0)
  })

  it('a later caller waits at most its own deadline for the shared grant, then a new grant can succeed', async () => {
    api = await stuckTokenEndpoint()
    const client = api.client({ timeouts: { headersMs: 30_000, operationMs: 800 } })
    const first = client.listSites('acme')
    await new Promise((resolve) => setTimeout(resolve, 400))
    const second = client.listSites('acme')
    const [firstMs, secondMs] = await Promise.all([elapsedMs(first), elapsedMs(second)])
    expect(firstMs).toBeLessThan(2_500)
    expect(secondMs).toBeLessThan(2_500)
    release()
    await expect(client.listSites('acme')).resolves.toEqual([])
  })

  it('close() returns promptly even with the grant and a request in flight', async () => {
    api = await stuckTokenEndpoint()
    const client = api.client({ timeouts: { headersMs: 30_000, operationMs: 60_000 }, closeTimeoutMs: 500 })
    const pending = qubsFailure(client.listSites('acme'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const startedAt = Date.now()
    await client.close()
    expect(Date.now() - startedAt).toBeLessThan(2_000)
    await expect(pending).resolves.toMatchObject({ kind: 'aborted' })
  })

  it('close() returns promptly with a response body still trickling in', async () => {
    api = await startTestApi((_request, response) => trickle(response))
    const client = api.client({ timeouts: { bodyMs: 10_000, operationMs: 60_000 }, closeTimeoutMs: 500 })
    const pending = qubsFailure(client.listSites('acme'))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await elapsedMs(client.close())).toBeLessThan(2_000)
    await expect(pending).resolves.toMatchObject({ kind: 'aborted' })
  })
})
