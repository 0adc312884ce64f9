import { describe, expect, it } from 'vitest'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { startSandbox } from '../../../src-main/sandbox/index'
import { JSON_BODY_LIMIT_BYTES } from '../../../src-main/sandbox/routes/idempotent-post'
import { api, getToken, rawRequest, reporting, sandboxForFile } from './helpers'

const sink = memorySink()
const sandbox = await sandboxForFile({
  appointments: 20,
  logger: createLogger('sandbox', { sink, level: 'debug' }),
})
const token = await getToken(sandbox)
const [id] = sandbox.admin.pendingAppointmentIds('demo', 1)

const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance', 'requestId']

describe('X-Correlation-Id', () => {
  it('is echoed when sent, on success, on errors and on the token endpoint', async () => {
    const ok = await api(sandbox, token, '/integrations/v1/demo/sites', {
      headers: { 'X-Correlation-Id': 'corr-ok' },
    })
    expect(ok.headers.get('x-correlation-id')).toBe('corr-ok')
    const missing = await api(sandbox, token, reporting('demo', '/A0'), {
      headers: { 'X-Correlation-Id': 'corr-404' },
    })
    expect(missing.headers.get('x-correlation-id')).toBe('corr-404')
    const tokenResponse = await fetch(sandbox.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Correlation-Id': 'corr-token' },
      body: 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret',
    })
    expect(tokenResponse.headers.get('x-correlation-id')).toBe('corr-token')
  })

  it('is echoed whatever printable text the caller chose, spaces included', async () => {
    const response = await api(sandbox, token, '/integrations/v1/demo/sites', {
      headers: { 'X-Correlation-Id': 'my corr id' },
    })
    expect(response.headers.get('x-correlation-id')).toBe('my corr id')
  })

  it('is minted when not sent, different for every response', async () => {
    const a = await api(sandbox, token, '/integrations/v1/demo/sites')
    const b = await api(sandbox, null, '/integrations/v1/demo/sites')
    const idA = a.headers.get('x-correlation-id')
    const idB = b.headers.get('x-correlation-id')
    expect(idA).toMatch(/^[0-9a-f-]{36}$/)
    expect(idB).toMatch(/^[0-9a-f-]{36}$/)
    expect(idA).not.toBe(idB)
  })
})

describe('problem details', () => {
  it('are application/problem+json with type, title, status, detail, instance and requestId', async () => {
    const cases: [string, number, Record<string, string>?][] = [
      ['/integrations/v1/demo/sites', 401],
      ['/integrations/v1/nope/sites', 403, { Authorization: `Bearer ${token}` }],
      [reporting('demo', '/A0'), 404, { Authorization: `Bearer ${token}` }],
      [reporting('demo', '/pending?pageSize=0'), 400, { Authorization: `Bearer ${token}` }],
      ['/no/such/path', 404],
    ]
    for (const [path, status, headers] of cases) {
      const response = await rawRequest(`${sandbox.baseUrl}${path}`, { headers: headers ?? {} })
      expect(response.status, path).toBe(status)
      expect(response.headers['content-type']).toBe('application/problem+json')
      const problem = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>
      for (const field of PROBLEM_FIELDS) expect(problem[field], `${path} ${field}`).toBeDefined()
      expect(problem.status).toBe(status)
      expect(problem.instance).toBe(path.split('?')[0])
      expect(problem.requestId).toBe(response.headers['x-request-id'])
      expect(String(problem.type)).toMatch(/^https:\/\//)
    }
  })

  it('carry an errors map for validation failures', async () => {
    const response = await api<{ errors: Record<string, string[]> }>(
      sandbox,
      token,
      reporting('demo', `/${id}/report`),
      {
        json: { reportStatus: 'maybe' },
      },
    )
    expect(response.status).toBe(400)
    expect(Object.keys(response.body.errors).sort()).toEqual(['reportStatus', 'reportText'])
  })

  it('answer 405 with Allow for a known path and another method', async () => {
    const response = await api(sandbox, token, reporting('demo', `/${id}/report`), { method: 'GET' })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
  })

  it('never echo PHI: no report or comment text, names or tokens in problems or logs', async () => {
    const secret = 'Testpatient Zeta-9999 has a SECRET-FINDING'
    const responses = [
      await api(sandbox, token, reporting('demo', `/${id}/report`), {
        json: { reportText: secret, reportStatus: 'bogus' },
      }),
      await api(sandbox, token, reporting('demo', `/${id}/report`), {
        json: { reportText: `${secret}${'x'.repeat(2_097_152)}`, reportStatus: 'final' },
      }),
      await api(sandbox, token, reporting('demo', `/${id}/comments`), {
        json: { commentText: secret, commentType: 'ZZ' },
      }),
      await api(sandbox, token, reporting('demo', `/${id}/report`), {
        rawBody: `{"reportText":"${secret}"`,
        headers: { 'Content-Type': 'application/json' },
      }),
      await api(sandbox, token, reporting('demo', `/${encodeURIComponent(secret)}`)),
    ]
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(JSON.stringify(response.body)).not.toContain('SECRET-FINDING')
      expect(JSON.stringify(response.body)).not.toContain('Zeta-9999')
    }
    const ok = await api(sandbox, token, reporting('demo', `/${id}/report`), {
      json: { reportText: secret, reportStatus: 'final' },
    })
    expect(ok.status).toBe(200)
    const logged = JSON.stringify(sink.records)
    expect(sink.records.length).toBeGreaterThan(0)
    for (const leak of ['SECRET-FINDING', 'Zeta-9999', token, 'demo-secret'])
      expect(logged).not.toContain(leak)
  })

  it('answer 413 for a JSON body over the limit', async () => {
    const huge = await api(sandbox, token, reporting('demo', `/${id}/comments`), {
      rawBody: `{"commentText":"${'y'.repeat(JSON_BODY_LIMIT_BYTES)}"}`,
      headers: { 'Content-Type': 'application/json' },
    })
    expect(huge.status).toBe(413)
  })
})

describe('close()', () => {
  it('closes idle keep-alive connections and can be called twice', async () => {
    const temporary = await startSandbox({ appointments: 10 })
    await getToken(temporary)
    await temporary.close()
    await temporary.close()
    await expect(fetch(temporary.tokenUrl)).rejects.toThrow()
  })
})
