import { afterEach, describe, expect, it } from 'vitest'
import {
  qubsFailure,
  readable,
  sendJson,
  sendProblem,
  startTestApi,
  TEST_SECRET,
  type TestApi,
} from './support'

/**
 * The request pipeline through the client against tiny loopback servers: headers, correlation ids,
 * 401 → one refresh, problem details, response validation, Retry-After in both forms, backoff, which
 * failures are retried for GET and POST, timeouts and cancellation. Waits are recorded by the clock,
 * not slept.
 */
let api: TestApi | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

const report = { reportText: 'No acute abnormality.', reportStatus: 'final' }
const receipt = { reportGuid: 'r-1', reportStatus: 'final', reportedAtUtc: '2026-01-01T00:00:00Z' }

describe('request pipeline', () => {
  it('sends Accept, Authorization and a fresh X-Correlation-Id per operation', async () => {
    api = await startTestApi((_request, response) =>
      sendJson(response, 200, [{ domain: 'acme', siteName: 'Central' }]),
    )
    const client = api.client()
    await client.listSites('acme')
    await client.listSites('acme')
    const [first, second] = api.apiRequests()
    expect(first?.headers.accept).toBe('application/json')
    expect(first?.headers.authorization).toBe('Bearer tok-1')
    expect(first?.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(second?.headers['x-correlation-id']).not.toBe(first?.headers['x-correlation-id'])
    expect(api.tokens.issued).toBe(1)
  })

  it('reuses the correlation id and the idempotency key across retries of one operation', async () => {
    let calls = 0
    api = await startTestApi((_request, response) => {
      calls += 1
      if (calls < 3) sendProblem(response, 503, { title: 'Service Unavailable' })
      else sendJson(response, 201, receipt)
    })
    const result = await api.client().submitReport('acme', 'A1', report, { idempotencyKey: 'key-1' })
    expect(readable(result).reportGuid).toBe('r-1')
    const requests = api.apiRequests()
    expect(requests).toHaveLength(3)
    expect(new Set(requests.map((r) => r.headers['x-correlation-id'])).size).toBe(1)
    expect(requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-1', 'key-1', 'key-1'])
    expect(new Set(requests.map((r) => r.body.toString('utf8'))).size).toBe(1)
    expect(JSON.parse(requests[0]?.body.toString('utf8') ?? '')).toEqual({
      reportText: report.reportText,
      reportStatus: 'final',
    })
    expect(requests[0]?.headers['content-type']).toBe('application/json')
  })

  it('on 401 refreshes the token once and resends', async () => {
    api = await startTestApi((request, response) => {
      if (request.headers.authorization === 'Bearer tok-1')
        sendProblem(response, 401, { title: 'Unauthorized' })
      else sendJson(response, 200, [])
    })
    await expect(api.client().listSites('acme')).resolves.toEqual([])
    expect(api.apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2'])
    expect(api.tokens.issued).toBe(2)
  })

  it('turns a 401 that survives the refresh into an auth error, without a retry storm', async () => {
    api = await startTestApi((_request, response) =>
      sendProblem(response, 401, { title: 'Unauthorized', requestId: 'req-9' }),
    )
    const error = await qubsFailure(api.client().listSites('acme'))
    expect(error).toMatchObject({ kind: 'auth', status: 401, requestId: 'req-9', retryable: false })
    expect(api.apiRequests()).toHaveLength(2)
    expect(api.tokens.issued).toBe(2)
  })

  it('reports bad credentials as auth, once, with no API call and no secret anywhere', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, []))
    await api.vault.setSecret('qubs.clientSecret', 'not-the-secret')
    const error = await qubsFailure(api.client().listSites('acme'))
    expect(error).toMatchObject({ kind: 'auth', status: 400, retryable: false })
    expect(api.server.requests).toHaveLength(1)
    expect(api.apiRequests()).toHaveLength(0)
    const text = `${error.message}${JSON.stringify(api.log)}`
    expect(text).not.toContain('not-the-secret')
    expect(text).not.toContain(TEST_SECRET)
  })

  it('parses RFC 7807 problems into typed errors, keeping detail out of the message', async () => {
    api = await startTestApi((_request, response) =>
      sendProblem(
        response,
        404,
        {
          type: 'about:blank',
          title: 'Not Found',
          detail: 'Appointment for Jane Doe is not pending',
          requestId: 'req-1',
        },
        { 'x-correlation-id': 'echoed-corr' },
      ),
    )
    const error = await qubsFailure(api.client().getAppointment('acme', 'A404'))
    expect(error).toMatchObject({
      kind: 'http',
      status: 404,
      title: 'Not Found',
      detail: 'Appointment for Jane Doe is not pending',
      requestId: 'req-1',
      correlationId: 'echoed-corr',
      retryable: false,
    })
    expect(error.message).not.toContain('Jane')
    expect(JSON.stringify(api.log)).not.toContain('Jane')
    expect(api.apiRequests()).toHaveLength(1)
  })

  it('keeps a validation errors map from the server as issues', async () => {
    api = await startTestApi((_request, response) =>
      sendProblem(response, 400, {
        title: 'Bad Request',
        errors: { reportText: ['ReportText is required.'] },
      }),
    )
    const error = await qubsFailure(api.client().submitReport('acme', 'A1', report, { idempotencyKey: 'k' }))
    expect(error).toMatchObject({
      kind: 'http',
      status: 400,
      issues: { reportText: ['ReportText is required.'] },
    })
    expect(api.apiRequests()).toHaveLength(1)
  })

  it('treats malformed and mis-shaped bodies as invalid responses, not crashes', async () => {
    api = await startTestApi((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('{"items": [')
    })
    const client = api.client()
    await expect(client.listSites('acme')).rejects.toMatchObject({ kind: 'invalid-response', status: 200 })
    api.server.setHandler((_request, response) =>
      sendJson(response, 200, { items: [{ patientName: 'Jane Doe' }] }),
    )
    const error = await qubsFailure(client.listPendingPage('acme'))
    expect(error.kind).toBe('invalid-response')
    expect(JSON.stringify(api.log)).not.toContain('Jane Doe')
    // Not retried: the same answer would come back.
    expect(api.apiRequests()).toHaveLength(2)
  })

  it('keeps unknown fields and accepts nulls where the docs say "when available"', async () => {
    api = await startTestApi((_request, response) =>
      sendJson(response, 200, {
        appointmentId: 'A1',
        status: 'PENDING REPORTING',
        reportNeededBy: null,
        radiologistUser: null,
        futureField: { nested: 1 },
      }),
    )
    const appointment = await api.client().getAppointment('acme', 'A1')
    expect(appointment).toMatchObject({
      domain: 'acme',
      appointmentId: 'A1',
      reportNeededBy: null,
      futureField: { nested: 1 },
    })
  })

  it('honours Retry-After in seconds on 429, even beyond the backoff cap', async () => {
    let calls = 0
    api = await startTestApi((_request, response) => {
      calls += 1
      if (calls === 1) sendProblem(response, 429, { title: 'Too Many Requests' }, { 'retry-after': '7' })
      else sendJson(response, 200, [])
    })
    await api.client().listSites('acme')
    expect(api.clock.sleeps).toEqual([7_000])
  })

  it('honours Retry-After as an HTTP-date on 503, measured against the response Date', async () => {
    let calls = 0
    api = await startTestApi((_request, response) => {
      calls += 1
      const now = Date.now()
      if (calls === 1) {
        sendProblem(
          response,
          503,
          { title: 'Service Unavailable' },
          {
            date: new Date(now).toUTCString(),
            'retry-after': new Date(now + 4_000).toUTCString(),
          },
        )
      } else sendJson(response, 200, [])
    })
    await api.client().listSites('acme')
    expect(api.clock.sleeps).toHaveLength(1)
    // Whole seconds on the wire: 3–4 s depending on where in the second the server stood, never less.
    expect(api.clock.sleeps[0]).toBeGreaterThanOrEqual(3_000)
    expect(api.clock.sleeps[0]).toBeLessThanOrEqual(4_000)
  })

  it('falls back to backoff when Retry-After is garbage', async () => {
    let calls = 0
    api = await startTestApi((_request, response) => {
      calls += 1
      if (calls === 1) sendProblem(response, 429, {}, { 'retry-after': 'soon-ish' })
      else sendJson(response, 200, [])
    })
    await api.client().listSites('acme')
    expect(api.clock.sleeps).toHaveLength(1)
    expect(api.clock.sleeps[0]).toBeGreaterThanOrEqual(0)
    expect(api.clock.sleeps[0]).toBeLessThan(100) // first backoff ceiling is baseDelayMs
    expect(api.apiRequests()).toHaveLength(2)
  })

  it('returns an over-long Retry-After to the caller instead of waiting or shortening it', async () => {
    api = await startTestApi((_request, response) =>
      sendProblem(response, 429, {}, { 'retry-after': '3600' }),
    )
    const error = await qubsFailure(api.client({ retry: { maxRetryAfterMs: 60_000 } }).listSites('acme'))
    expect(error).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 3_600_000, retryable: true })
    expect(api.clock.sleeps).toEqual([])
  })

  it('retries 5xx for GET with exponential backoff, then gives up with the last error', async () => {
    api = await startTestApi((_request, response) => sendProblem(response, 502, { title: 'Bad Gateway' }))
    const error = await qubsFailure(
      api.client({ retry: { maxAttempts: 4, baseDelayMs: 100, capDelayMs: 1_000 } }).listSites('acme'),
    )
    expect(error).toMatchObject({ kind: 'http', status: 502, mayHaveCommitted: true })
    expect(api.apiRequests()).toHaveLength(4)
    expect(api.clock.sleeps).toHaveLength(3)
    api.clock.sleeps.forEach((delay, n) => expect(delay).toBeLessThan(100 * 2 ** n))
  })

  it('does not retry 4xx other than 401/408/429, and 409 is terminal for POST', async () => {
    for (const status of [400, 403, 404, 409, 422]) {
      api = await startTestApi((_request, response) => sendProblem(response, status, { title: 'No' }))
      const error = await qubsFailure(
        api.client().createComment('acme', 'A1', { commentText: 'x' }, { idempotencyKey: 'k' }),
      )
      expect(error.status).toBe(status)
      expect(api.apiRequests(), String(status)).toHaveLength(1)
      await api.close()
      api = undefined
    }
  })

  it('retries 408 for GET', async () => {
    let calls = 0
    api = await startTestApi((_request, response) => {
      calls += 1
      if (calls === 1) sendProblem(response, 408, { title: 'Request Timeout' })
      else sendJson(response, 200, [])
    })
    await api.client().listSites('acme')
    expect(api.apiRequests()).toHaveLength(2)
  })

  it('retries a connection reset (GET) and reports an exhausted one as a network error', async () => {
    let calls = 0
    api = await startTestApi((_request, response, socket) => {
      calls += 1
      if (calls === 1) socket.destroy()
      else sendJson(response, 200, [])
    })
    const client = api.client()
    await expect(client.listSites('acme')).resolves.toEqual([])
    api.server.setHandler((_request, _response, socket) => {
      socket.destroy()
    })
    const error = await qubsFailure(client.listSites('acme'))
    expect(error).toMatchObject({ kind: 'network', retryable: true, mayHaveCommitted: true })
  })

  it('times out a server that never answers, as kind timeout', async () => {
    api = await startTestApi(() => undefined) // hang: never respond
    const client = api.client({
      timeouts: { headersMs: 150, bodyMs: 150, connectMs: 1_000 },
      retry: { maxAttempts: 2 },
    })
    const error = await qubsFailure(client.listSites('acme'))
    expect(error).toMatchObject({ kind: 'timeout', retryable: true })
    expect(api.apiRequests()).toHaveLength(2)
  })

  it('times out a body that stalls mid-way', async () => {
    api = await startTestApi((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('[')
    })
    const error = await qubsFailure(
      api.client({ timeouts: { bodyMs: 150 }, retry: { maxAttempts: 1 } }).listSites('acme'),
    )
    expect(error.kind).toBe('timeout')
  })

  it('cancels via AbortSignal with kind aborted and no retry', async () => {
    api = await startTestApi(() => undefined)
    const controller = new AbortController()
    const pending = api.client().listSites('acme', { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    const error = await qubsFailure(pending)
    expect(error.kind).toBe('aborted')
    expect(api.apiRequests()).toHaveLength(1)
  })

  it('accepts 200 and 201 for POST', async () => {
    let status = 200
    api = await startTestApi((_request, response) => sendJson(response, status, receipt))
    const client = api.client()
    await expect(client.submitReport('acme', 'A1', report, { idempotencyKey: 'a' })).resolves.toMatchObject({
      reportGuid: 'r-1',
    })
    status = 201
    await expect(client.submitReport('acme', 'A1', report, { idempotencyKey: 'b' })).resolves.toMatchObject({
      reportGuid: 'r-1',
    })
  })

  it('logs ids, routes and statuses, never PHI, tokens or secrets', async () => {
    let calls = 0
    api = await startTestApi((_request, response) => {
      calls += 1
      if (calls === 1) sendProblem(response, 500, { detail: 'Jane Doe DOB 1988-03-03' })
      else
        sendJson(response, 200, { appointmentId: 'A1', patientName: 'Jane Doe', dateOfBirth: '1988-03-03' })
    })
    await api.client().getAppointment('acme', 'A1')
    const text = JSON.stringify(api.log)
    for (const secret of ['Jane', '1988-03-03', TEST_SECRET, 'tok-1']) expect(text).not.toContain(secret)
    expect(
      api.log.some((record) => record.message === 'retrying request' && record.fields.status === 500),
    ).toBe(true)
  })
})
