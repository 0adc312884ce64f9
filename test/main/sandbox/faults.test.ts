import { describe, expect, it } from 'vitest'
import { type FaultKind, type RunningSandbox, startSandbox } from '../../../src-main/sandbox/index'
import { getToken, rawRequest, reporting, sandboxForFile } from './helpers'

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0)
const sandbox = await sandboxForFile({ appointments: 30, now: () => NOW })
const token = await getToken(sandbox)
const ids = sandbox.admin.pendingAppointmentIds('demo', 10)
const auth = { Authorization: `Bearer ${token}` }
const sitesUrl = `${sandbox.baseUrl}/integrations/v1/demo/sites`

const errorCode = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise
    return 'answered'
  } catch (error) {
    return String((error as { code?: string }).code ?? (error as Error).message)
  }
}

describe('scripted faults', () => {
  it('answers 429 with Retry-After in seconds', async () => {
    sandbox.admin.injectNext({ kind: '429-seconds', path: '/sites$', retryAfterSeconds: 7 })
    const response = await rawRequest(sitesUrl, { headers: { ...auth, 'X-Correlation-Id': 'c-429' } })
    expect(response.status).toBe(429)
    expect(response.headers['retry-after']).toBe('7')
    expect(response.headers['x-correlation-id']).toBe('c-429')
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect((await rawRequest(sitesUrl, { headers: auth })).status).toBe(200)
  })

  it('answers 429 with Retry-After as an HTTP-date on the sandbox clock', async () => {
    sandbox.admin.injectNext({ kind: '429-date', retryAfterSeconds: 30 })
    const response = await rawRequest(sitesUrl, { headers: auth })
    expect(response.status).toBe(429)
    const retryAt = Date.parse(String(response.headers['retry-after']))
    const serverNow = Date.parse(String(response.headers.date))
    expect(retryAt - serverNow).toBe(30_000)
  })

  it.each(['500', '502', '503', '504'] as const)('answers %s as a problem', async (kind) => {
    sandbox.admin.injectNext({ kind, method: 'GET' })
    const response = await rawRequest(sitesUrl, { headers: auth })
    expect(response.status).toBe(Number(kind))
    expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({
      status: Number(kind),
      requestId: expect.any(String),
    })
    if (kind === '503') expect(response.headers['retry-after']).toBe('1')
  })

  it('resets the connection before answering, and applies no effect', async () => {
    const before = sandbox.admin.effects().length
    sandbox.admin.injectNext({ kind: 'reset', method: 'POST', path: '/comments$' })
    const code = await errorCode(
      rawRequest(`${sandbox.baseUrl}${reporting('demo', `/${ids[0]}/comments`)}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ commentText: 'Lost.' }),
      }),
    )
    expect(code).toBe('ECONNRESET')
    expect(sandbox.admin.effects()).toHaveLength(before)
  })

  it('hangs past the client timeout without ever answering', async () => {
    sandbox.admin.injectNext({ kind: 'hang' })
    expect(await errorCode(rawRequest(sitesUrl, { headers: auth, timeoutMs: 150 }))).toBe('ETIMEDOUT')
    expect((await rawRequest(sitesUrl, { headers: auth })).status).toBe(200)
  })

  it('commits a POST then drops the connection; a retry with the same key replays, with no second effect', async () => {
    const id = ids[1] as string
    const url = `${sandbox.baseUrl}${reporting('demo', `/${id}/report`)}`
    const body = JSON.stringify({ reportText: 'Committed.', reportStatus: 'final' })
    const headers = { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'drop-1' }
    sandbox.admin.injectNext({ kind: 'commit-then-drop', method: 'POST', path: '/report$' })
    expect(await errorCode(rawRequest(url, { method: 'POST', body, headers }))).toBe('ECONNRESET')
    const committed = sandbox.admin.effects().filter((e) => e.appointmentId === id)
    expect(committed).toMatchObject([{ kind: 'report', idempotencyKey: 'drop-1', reportStatus: 'final' }])
    const retry = await rawRequest(url, { method: 'POST', body, headers })
    expect(retry.status).toBe(200)
    expect(JSON.parse(retry.body.toString('utf8')).reportGuid).toBe(committed[0]?.guid)
    expect(sandbox.admin.effects().filter((e) => e.appointmentId === id)).toHaveLength(1)
  })

  it('adds latency and then answers normally', async () => {
    sandbox.admin.injectNext({ kind: 'latency', latencyMs: 30 })
    expect((await rawRequest(sitesUrl, { headers: auth })).status).toBe(200)
    expect(sandbox.admin.stats().faults.latency).toBeGreaterThanOrEqual(1)
  })

  it('gives the next N matching requests the fault, and leaves others alone', async () => {
    sandbox.admin.injectNext({ kind: '503', method: 'GET', path: '/exam-codes$', count: 2 })
    const examCodes = `${sitesUrl}/${encodeURIComponent('Sydney Harbour Clinic')}/exam-codes`
    expect((await rawRequest(sitesUrl, { headers: auth })).status).toBe(200)
    expect((await rawRequest(examCodes, { headers: auth })).status).toBe(503)
    expect((await rawRequest(examCodes, { headers: auth })).status).toBe(503)
    expect((await rawRequest(examCodes, { headers: auth })).status).toBe(200)
  })

  it('applies to the token endpoint too, with a correlation id', async () => {
    sandbox.admin.injectNext({ kind: '502', path: '^/oauth2/token$' })
    const response = await rawRequest(sandbox.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret',
    })
    expect(response.status).toBe(502)
    expect(response.headers['x-correlation-id']).toBeTruthy()
  })

  it('rejects invalid scripted faults', () => {
    expect(() => sandbox.admin.injectNext({ kind: 'explode' as FaultKind })).toThrow()
    expect(() => sandbox.admin.injectNext({ kind: '500', path: '(' })).toThrow()
  })
})

describe('random faults', () => {
  const sequence = async (target: RunningSandbox, n: number, bearer: string): Promise<string[]> => {
    const outcomes: string[] = []
    for (let i = 0; i < n; i++) {
      try {
        const response = await rawRequest(`${target.baseUrl}/integrations/v1/demo/sites`, {
          headers: { Authorization: `Bearer ${bearer}` },
          // None of these kinds hangs: a long bound, so a loaded machine's slow answer is not a fault.
          timeoutMs: 10_000,
        })
        outcomes.push(String(response.status))
      } catch (error) {
        outcomes.push(String((error as { code?: string }).code))
      }
    }
    return outcomes
  }

  it('is reproducible by seed and follows the rate and kinds', async () => {
    const kinds: FaultKind[] = ['500', '503', '429-seconds', 'reset']
    const run = async (seed: number) => {
      const faulty = await startSandbox({ appointments: 10, faults: { rate: 0.5, seed, kinds } })
      try {
        // The token request itself must get through: a scripted no-op fault takes it out of the draw.
        faulty.admin.injectNext({ kind: 'latency', latencyMs: 0, path: '^/oauth2/token$' })
        const bearer = await getToken(faulty)
        return { outcomes: await sequence(faulty, 40, bearer), stats: faulty.admin.stats() }
      } finally {
        await faulty.close()
      }
    }
    const a = await run(42)
    const b = await run(42)
    const c = await run(43)
    expect(a.outcomes).toEqual(b.outcomes)
    expect(a.outcomes).not.toEqual(c.outcomes)
    const faulted = a.outcomes.filter((o) => o !== '200').length
    expect(faulted).toBeGreaterThan(8)
    expect(faulted).toBeLessThan(32)
    expect(new Set(a.outcomes)).toEqual(new Set(['200', '500', '503', '429', 'ECONNRESET']))
    expect(Object.keys(a.stats.faults).sort()).toEqual(['429-seconds', '500', '503', 'latency', 'reset'])
  })

  it('can be changed and cleared while running', async () => {
    const live = await startSandbox({ appointments: 10 })
    try {
      const bearer = await getToken(live)
      expect(new Set(await sequence(live, 5, bearer))).toEqual(new Set(['200']))
      live.admin.setFaults({ rate: 1, kinds: ['504'] })
      expect(new Set(await sequence(live, 3, bearer))).toEqual(new Set(['504']))
      live.admin.clearFaults()
      expect(new Set(await sequence(live, 5, bearer))).toEqual(new Set(['200']))
    } finally {
      await live.close()
    }
  })

  it('close() ends hung requests', async () => {
    const hanging = await startSandbox({ appointments: 10 })
    const bearer = await getToken(hanging)
    hanging.admin.setFaults({ rate: 1, kinds: ['hang'] })
    const pending = errorCode(
      rawRequest(`${hanging.baseUrl}/integrations/v1/demo/sites`, {
        headers: { Authorization: `Bearer ${bearer}` },
      }),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    await hanging.close()
    expect(['ECONNRESET', 'socket hang up']).toContain(await pending)
  })
})
