import { Agent, type Dispatcher } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { createLogger, memorySink, type LogRecord } from '../../../src-main/common/logger'
import { QubsClient, type QubsClientOptions } from '../../../src-main/core/api'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { qubsFailure, readable, RecordingClock } from './support'

/**
 * The client against the QUBS sandbox (an independent implementation of the same API documents) on
 * loopback: the full worklist walk at 5 000 appointments per domain, every endpoint, tokens expiring
 * mid-walk, bad credentials, domains outside the token, and injected faults — 429 in both forms, 5xx,
 * resets, hangs past the client's timeout and commit-then-drop answered by an idempotent retry.
 */
const PENDING_ROUTE = 'GET /integrations/v1/{domain}/reporting/appointments/pending'

let sb: RunningSandbox
const clients: QubsClient[] = []

interface Harness {
  readonly client: QubsClient
  readonly clock: RecordingClock
  readonly log: LogRecord[]
}

async function connect(
  sandbox: RunningSandbox,
  overrides: Partial<QubsClientOptions> & { secret?: string; domains?: string[] } = {},
): Promise<Harness> {
  const vault = new MemoryVault()
  await vault.setSecret('qubs.clientSecret', overrides.secret ?? sandbox.clientSecret)
  const clock = new RecordingClock()
  const sink = memorySink()
  const { secret: _secret, domains, ...options } = overrides
  const client = new QubsClient({
    settings: {
      tokenUrl: sandbox.tokenUrl,
      apiBaseUrl: sandbox.apiBaseUrl,
      clientId: sandbox.clientId,
      domains: domains ?? [...sandbox.domains],
    },
    vault,
    clock,
    random: seededRandom(5),
    logger: createLogger('sandbox-test', { sink, level: 'debug' }),
    retry: { maxAttempts: 5, baseDelayMs: 50, capDelayMs: 500 },
    timeouts: { connectMs: 2_000, headersMs: 3_000, bodyMs: 3_000 },
    ...options,
  })
  clients.push(client)
  return { client, clock, log: sink.records }
}

const requests = (route: string) => sb.admin.stats().requests[route] ?? 0

beforeAll(async () => {
  sb = await startSandbox({ appointments: 5000, seed: 1, domains: ['acme', 'beta'] })
})

afterEach(() => {
  sb.admin.clearFaults()
})

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()))
  await sb.close()
})

describe('against the sandbox: worklist', () => {
  for (const pageSize of [500, 100]) {
    it(`walks 5 000 appointments per domain across both domains at pageSize ${pageSize}`, async () => {
      const { client } = await connect(sb)
      const before = requests(PENDING_ROUTE)
      const items = await client.walkPending({ pageSize })
      for (const domain of ['acme', 'beta']) {
        const walked = items.filter((item) => item.domain === domain).map((item) => item.appointmentId)
        const expected = sb.admin.pendingAppointmentIds(domain, 100_000)
        // The sandbox generates 5 000 per domain; the ~85 % still PENDING REPORTING are the worklist.
        expect(expected.length, domain).toBeGreaterThan(4_000)
        expect(walked.length, domain).toBe(expected.length)
        expect(new Set(walked)).toEqual(new Set(expected))
      }
      expect(new Set(items.map((item) => `${item.domain}/${item.appointmentId}`)).size).toBe(items.length)
      const pages = requests(PENDING_ROUTE) - before
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(items.length / pageSize))
      expect(pages).toBeLessThanOrEqual(Math.ceil(items.length / pageSize) + 2)
    })
  }

  it('completes the walk through random transient faults with the same result', async () => {
    const { client, clock } = await connect(sb, {
      retry: { maxAttempts: 10, baseDelayMs: 10, capDelayMs: 100 },
    })
    const clean = await client.walkPending({ domains: ['acme'], pageSize: 500 })
    sb.admin.setFaults({
      rate: 0.3,
      seed: 9,
      kinds: ['500', '502', '503', '504', 'reset', '429-seconds', '429-date'],
      retryAfterSeconds: 1,
    })
    const faulty = await client.walkPending({ domains: ['acme'], pageSize: 500 })
    expect(new Set(faulty.map((item) => item.appointmentId))).toEqual(
      new Set(clean.map((item) => item.appointmentId)),
    )
    expect(clock.sleeps.length).toBeGreaterThan(0)
    expect(Object.values(sb.admin.stats().faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  })

  it('survives an access token expiring mid-walk: one 401, one refresh, no lost page', async () => {
    let sent = 0
    const agent = new Agent()
    // Moves the sandbox clock two hours forward just before the third request: the token the client
    // still believes valid is now expired on the server.
    const dispatcher: Dispatcher = agent.compose((dispatch) => (options, handler) => {
      sent += 1
      if (sent === 3) sb.admin.advanceClock(2 * 3_600_000)
      return dispatch(options, handler)
    })
    const { client } = await connect(sb, { dispatcher })
    try {
      const items = await client.walkPending({ domains: ['beta'], pageSize: 500 })
      expect(items).toHaveLength(sb.admin.pendingAppointmentIds('beta', 100_000).length)
      // client credentials first, then the sandbox's refresh token after the 401
      expect(client.tokenStats).toEqual({ clientCredentialsGrants: 1, refreshTokenGrants: 1 })
    } finally {
      await agent.close()
    }
  })

  it('refreshes a short-lived token proactively during a walk', async () => {
    const shortLived = await startSandbox({
      appointments: 300,
      seed: 2,
      domains: ['acme'],
      accessTokenTtlSeconds: 1,
      issueRefreshToken: false,
    })
    try {
      // Real time matters here, so the client uses the system clock for token expiry.
      const { client } = await connect(shortLived, { clock: undefined })
      shortLived.admin.setFaults({ rate: 1, seed: 1, kinds: ['latency'], latencyMs: [150, 150] })
      const items = await client.walkPending({ pageSize: 50 })
      expect(items).toHaveLength(shortLived.admin.pendingAppointmentIds('acme', 1_000).length)
      expect(client.tokenStats.clientCredentialsGrants).toBeGreaterThan(1)
    } finally {
      await shortLived.close()
    }
  })
})

describe('against the sandbox: auth and scope', () => {
  it('reports bad credentials as auth after one token request, without calling the API', async () => {
    const { client, log } = await connect(sb, { secret: 'definitely-wrong' })
    const tokenBefore = requests('POST /oauth2/token')
    const pagesBefore = requests(PENDING_ROUTE)
    const error = await qubsFailure(client.walkPending())
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false })
    expect(requests('POST /oauth2/token') - tokenBefore).toBe(1)
    expect(requests(PENDING_ROUTE)).toBe(pagesBefore)
    expect(JSON.stringify(log)).not.toContain('definitely-wrong')
  })

  it('gets 403 for a domain outside the token, without retrying', async () => {
    const { client } = await connect(sb, { domains: ['acme', 'beta', 'gamma'] })
    const before = requests('GET /integrations/v1/{domain}/sites')
    const error = await qubsFailure(client.listSites('gamma'))
    expect(error).toMatchObject({ kind: 'http', status: 403, retryable: false })
    expect(error.requestId).toBeTruthy()
    expect(error.correlationId).toBeTruthy()
    expect(requests('GET /integrations/v1/{domain}/sites') - before).toBe(1)
    const check = await client.checkConnection()
    expect(check.ok).toBe(false)
    expect(check.domains.find((d) => d.domain === 'gamma')).toMatchObject({ ok: false, status: 403 })
  })
})

describe('against the sandbox: faults', () => {
  it('honours 429 Retry-After in seconds', async () => {
    const { client, clock } = await connect(sb)
    sb.admin.injectNext({ kind: '429-seconds', path: '/sites$', retryAfterSeconds: 3 })
    await expect(client.listSites('acme')).resolves.not.toHaveLength(0)
    expect(clock.sleeps).toEqual([3_000])
  })

  it('honours 429 Retry-After as an HTTP-date, never shorter than asked', async () => {
    const { client, clock } = await connect(sb)
    sb.admin.injectNext({ kind: '429-date', path: '/sites$', retryAfterSeconds: 2 })
    await client.listSites('acme')
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2_000)
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3_000)
  })

  it('retries 500, 502, 503 (with its Retry-After) and 504 on GET', async () => {
    const { client, clock } = await connect(sb)
    for (const kind of ['500', '502', '503', '504'] as const) {
      sb.admin.injectNext({ kind, path: '/sites$', retryAfterSeconds: 2 })
    }
    await client.listSites('acme')
    expect(clock.sleeps).toHaveLength(4)
    expect(clock.sleeps[2]).toBe(2_000)
  })

  it('retries a reset connection', async () => {
    const { client } = await connect(sb)
    const [id] = sb.admin.pendingAppointmentIds('acme', 1)
    sb.admin.injectNext({ kind: 'reset', path: '/appointments/[^/]+$' })
    await expect(client.getAppointment('acme', id ?? '')).resolves.toMatchObject({
      appointmentId: id,
      domain: 'acme',
    })
  })

  it('gives up on a hung request at the client timeout and retries it', async () => {
    const { client } = await connect(sb, { timeouts: { headersMs: 300, bodyMs: 300 } })
    sb.admin.injectNext({ kind: 'hang', path: '/sites$' })
    await expect(client.listSites('acme')).resolves.not.toHaveLength(0)
    sb.admin.injectNext({ kind: 'hang', path: '/sites$', count: 2 })
    const error = await qubsFailure(
      (
        await connect(sb, { timeouts: { headersMs: 300, bodyMs: 300 }, retry: { maxAttempts: 2 } })
      ).client.listSites('acme'),
    )
    expect(error).toMatchObject({ kind: 'timeout', retryable: true, mayHaveCommitted: true })
  })

  it('after commit-then-drop, the retry with the same key returns the original report receipt', async () => {
    const { client } = await connect(sb)
    const [id] = sb.admin.pendingAppointmentIds('acme', 1)
    const key = 'ctd-report-0001'
    sb.admin.injectNext({ kind: 'commit-then-drop', method: 'POST', path: '/report$' })
    const receipt = readable(
      await client.submitReport(
        'acme',
        id ?? '',
        {
          reportText: 'No acute abnormality.',
          reportStatus: 'Preliminary',
          reportedAtUtc: '2026-01-01T00:00:00Z',
        },
        { idempotencyKey: key },
      ),
    )
    const effects = sb.admin.effects().filter((effect) => effect.idempotencyKey === key)
    expect(effects).toHaveLength(1)
    expect(effects[0]).toMatchObject({
      kind: 'report',
      reportStatus: 'preliminary',
      guid: receipt.reportGuid,
    })
  })

  it('after commit-then-drop of a comment, the retry creates no duplicate', async () => {
    const { client } = await connect(sb)
    const [id] = sb.admin.pendingAppointmentIds('beta', 1)
    const key = 'ctd-comment-0001'
    sb.admin.injectNext({ kind: 'commit-then-drop', method: 'POST', path: '/comments$' })
    const comment = readable(
      await client.createComment(
        'beta',
        id ?? '',
        { commentText: 'Referrer called.' },
        { idempotencyKey: key },
      ),
    )
    expect(sb.admin.effects().filter((effect) => effect.idempotencyKey === key)).toHaveLength(1)
    const listed = await client.listComments('beta', id ?? '')
    expect(listed.filter((c) => c.guid === comment.guid)).toHaveLength(1)
  })

  it('retries a POST through 5xx and a hang with its key: exactly one effect', async () => {
    const { client } = await connect(sb, { timeouts: { headersMs: 300, bodyMs: 300 } })
    const [id] = sb.admin.pendingAppointmentIds('acme', 2).slice(1)
    const key = 'retry-report-0002'
    sb.admin.injectNext({ kind: '500', method: 'POST', path: '/report$' })
    sb.admin.injectNext({ kind: 'hang', method: 'POST', path: '/report$' })
    await client.submitReport(
      'acme',
      id ?? '',
      { reportText: 'Final words.', reportStatus: 'final' },
      { idempotencyKey: key },
    )
    expect(sb.admin.effects().filter((effect) => effect.idempotencyKey === key)).toHaveLength(1)
  })

  it('treats 409 (same key, other payload) as terminal', async () => {
    const { client } = await connect(sb)
    const [id] = sb.admin.pendingAppointmentIds('acme', 3).slice(2)
    const key = 'conflict-0003'
    await client.submitReport(
      'acme',
      id ?? '',
      { reportText: 'First.', reportStatus: 'final' },
      { idempotencyKey: key },
    )
    const before = requests('POST /integrations/v1/{domain}/reporting/appointments/{appointmentId}/report')
    const error = await qubsFailure(
      client.submitReport(
        'acme',
        id ?? '',
        { reportText: 'Second.', reportStatus: 'final' },
        { idempotencyKey: key },
      ),
    )
    expect(error).toMatchObject({ kind: 'http', status: 409, retryable: false, mayHaveCommitted: false })
    expect(
      requests('POST /integrations/v1/{domain}/reporting/appointments/{appointmentId}/report') - before,
    ).toBe(1)
  })
})

describe('against the sandbox: every endpoint', () => {
  it('reads an appointment, and gets 404 once it is no longer pending', async () => {
    const { client } = await connect(sb)
    const ids = sb.admin.pendingAppointmentIds('beta', 5)
    const id = ids[4] ?? ''
    const appointment = await client.getAppointment('beta', id)
    expect(appointment).toMatchObject({ domain: 'beta', appointmentId: id, status: 'PENDING REPORTING' })
    sb.admin.setAppointmentStatus('beta', id, 'FINALISED')
    await expect(client.getAppointment('beta', id)).rejects.toMatchObject({ kind: 'http', status: 404 })
  })

  it('lists sites, reads site settings and exam codes', async () => {
    const { client } = await connect(sb)
    const sites = await client.listSites('acme')
    const siteName = sites[0]?.siteName ?? ''
    const settings = await client.getSite('acme', siteName)
    expect(typeof settings.timeZone).toBe('string')
    const codes = await client.listExamCodes('acme', siteName)
    expect(Array.isArray(codes)).toBe(true)
    await expect(client.checkConnection()).resolves.toMatchObject({ ok: true })
  })

  it('lists, reads and downloads attachments; an expired URL is replaced via get-attachment', async () => {
    const { client } = await connect(sb)
    let found: { id: string; guid: string } | undefined
    for (const id of sb.admin.pendingAppointmentIds('acme', 60)) {
      const list = await client.listAttachments('acme', id, { urlTtlSeconds: 900, disposition: 'inline' })
      const withUrl = list.find((a) => a.url)
      if (withUrl) {
        found = { id, guid: withUrl.guid }
        break
      }
    }
    expect(found).toBeDefined()
    const { id, guid } = found ?? { id: '', guid: '' }
    const single = await client.getAttachment('acme', id, guid, { urlTtlSeconds: 60 })
    expect(single.guid).toBe(guid)
    const first = await client.downloadAttachment('acme', id, guid)
    expect(first.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(first.size).toBe(first.bytes.length)

    // The sandbox clock passes the URL's expiry while ours does not notice: the storage answers 403.
    sb.admin.advanceClock(120_000)
    const again = await client.downloadAttachment('acme', id, guid, {
      attachment: single,
      maxBytes: 10_000_000,
    })
    expect(again.bytes.equals(first.bytes)).toBe(true)
    await expect(client.downloadAttachment('acme', id, guid, { maxBytes: 10 })).rejects.toMatchObject({
      kind: 'invalid-response',
    })
  })

  it('lists, creates and reads comments', async () => {
    const { client } = await connect(sb)
    const [id] = sb.admin.pendingAppointmentIds('acme', 8).slice(7)
    const created = readable(
      await client.createComment(
        'acme',
        id ?? '',
        { commentText: 'Please call the referrer.', commentType: 'aa', isAlert: true },
        { idempotencyKey: 'comment-create-0001' },
      ),
    )
    expect(created).toMatchObject({ commentType: 'AA' })
    const list = await client.listComments('acme', id ?? '')
    expect(list.some((c) => c.guid === created.guid)).toBe(true)
    await expect(client.getComment('acme', id ?? '', created.guid)).resolves.toMatchObject({
      guid: created.guid,
    })
  })

  it('creates report attachment URLs and uploads a PDF to one with a PUT', async () => {
    const { client } = await connect(sb)
    const [id] = sb.admin.pendingAppointmentIds('beta', 9).slice(8)
    const urls = await client.createReportAttachmentUrls(
      'beta',
      id ?? '',
      [{ fileName: 'report.pdf', contentType: 'application/pdf' }],
      { idempotencyKey: 'upload-urls-0001' },
    )
    expect(urls.items).toHaveLength(1)
    const bytes = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
    const upload = await client.uploadReportAttachment({
      uploadUrl: urls.items[0]?.uploadUrl ?? '',
      bytes,
      contentType: 'application/pdf',
    })
    expect(upload.size).toBe(bytes.length)
    expect(sb.admin.effects().some((effect) => effect.kind === 'upload' && effect.appointmentId === id)).toBe(
      true,
    )
    const attachments = await client.listAttachments('beta', id ?? '')
    const uploaded = attachments.find((a) => a.guid === urls.items[0]?.guid)
    expect(uploaded?.url).toBeTruthy()
    const downloaded = await client.downloadAttachment('beta', id ?? '', uploaded?.guid ?? '')
    expect(downloaded.bytes.equals(bytes)).toBe(true)
  })
})
