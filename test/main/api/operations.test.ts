import { PassThrough, Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import {
  API,
  qubsFailure,
  sendJson,
  sendProblem,
  startTestApi,
  type RecordedRequest,
  type TestApi,
} from './support'

/**
 * Every typed operation against a loopback server: the exact method, path, query and body sent, the
 * pending walk (paging, de-duplication, cursor loops), presigned downloads (no Authorization, size
 * limits, URL refresh, streaming) and uploads, and that invalid input never leaves the machine.
 */
let api: TestApi | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

const attachment = (origin: string, overrides: Record<string, unknown> = {}) => ({
  guid: 'g-1',
  category: 'Referral',
  fileName: 'referral.pdf',
  url: `${origin}/files/g-1?sig=1`,
  urlExpiresAtUtc: new Date(Date.now() + 900_000).toISOString(),
  ...overrides,
})

describe('typed operations', () => {
  it('sends each read to its documented path with its query', async () => {
    api = await startTestApi((request, response) => {
      if (request.path.endsWith('/pending')) sendJson(response, 200, { items: [], nextToken: '' })
      else if (request.path.endsWith('/attachments/g-1'))
        sendJson(response, 200, attachment('https://s3.example'))
      else if (request.path.endsWith('/comments/c-1'))
        sendJson(response, 200, { guid: 'c-1', commentType: 'AC' })
      else if (request.path.endsWith('/exam-codes'))
        sendJson(response, 200, [{ examCodeId: 7, key: 'CTCH', totalDuration: 15 }])
      else if (request.path.endsWith('/sites/Central%20Clinic'))
        sendJson(response, 200, { siteName: 'Central Clinic', timeZone: 'Australia/Sydney' })
      else if (request.path.endsWith('/appointments/A%2F1')) sendJson(response, 200, { appointmentId: 'A/1' })
      else sendJson(response, 200, [])
    })
    const client = api.client()
    await client.listPendingPage('acme', { pageSize: 250, nextToken: 'tok_ABC-1' })
    await client.getAppointment('acme', 'A/1')
    await client.listAttachments('acme', 'A1', { urlTtlSeconds: 900, disposition: 'attachment' })
    await client.getAttachment('acme', 'A1', 'g-1', { urlTtlSeconds: 60 })
    await client.listComments('beta', 'A1')
    await client.getComment('acme', 'A1', 'c-1')
    await client.listSites('acme')
    const site = await client.getSite('acme', 'Central Clinic')
    const codes = await client.listExamCodes('acme', 'Central Clinic')
    expect(site.timeZone).toBe('Australia/Sydney')
    expect(codes[0]).toMatchObject({ examCodeId: 7, totalDuration: 15 })
    const seen = api.apiRequests().map((r) => `${r.method} ${r.url}`)
    expect(seen).toEqual([
      `GET ${API}/acme/reporting/appointments/pending?pageSize=250&nextToken=tok_ABC-1`,
      `GET ${API}/acme/reporting/appointments/A%2F1`,
      `GET ${API}/acme/reporting/appointments/A1/attachments?urlTtlSeconds=900&disposition=attachment`,
      `GET ${API}/acme/reporting/appointments/A1/attachments/g-1?urlTtlSeconds=60`,
      `GET ${API}/beta/reporting/appointments/A1/comments`,
      `GET ${API}/acme/reporting/appointments/A1/comments/c-1`,
      `GET ${API}/acme/sites`,
      `GET ${API}/acme/sites/Central%20Clinic`,
      `GET ${API}/acme/sites/Central%20Clinic/exam-codes`,
    ])
  })

  it('posts comments, reports and attachment-URL requests with their keys and bodies', async () => {
    api = await startTestApi((request, response) => {
      if (request.path.endsWith('/comments'))
        sendJson(response, 201, { guid: 'c-9', commentType: 'AA', isAlert: true })
      else if (request.path.endsWith('/report'))
        sendJson(response, 200, { reportGuid: 'r-9', reportStatus: 'final' })
      else
        sendJson(response, 201, {
          items: [
            {
              guid: 'u-1',
              fileName: 'report.pdf',
              category: 'report',
              uploadUrl: 'https://s3.example/u-1',
              uploadUrlExpiresAtUtc: '2026-01-01T00:15:00Z',
            },
          ],
        })
    })
    const client = api.client()
    await expect(
      client.createComment(
        'acme',
        'A1',
        { commentText: 'Please prioritise.', commentType: 'aa', isAlert: true },
        { idempotencyKey: 'k-c' },
      ),
    ).resolves.toMatchObject({ guid: 'c-9' })
    await expect(
      client.submitReport(
        'acme',
        'A1',
        {
          reportText: 'Findings.',
          reportStatus: 'FINAL',
          interpretingClinicianEmail: 'dr@example.com',
          reportedAtUtc: '2025-01-10T03:04:05Z',
        },
        { idempotencyKey: 'k-r' },
      ),
    ).resolves.toMatchObject({ reportGuid: 'r-9' })
    const urls = await client.createReportAttachmentUrls(
      'acme',
      'A1',
      [{ fileName: 'report.pdf', contentType: 'application/pdf' }],
      {
        idempotencyKey: 'k-u',
      },
    )
    expect(urls.items[0]?.uploadUrl).toBe('https://s3.example/u-1')
    const [comment, submitted, created] = api.apiRequests()
    const json = (r: RecordedRequest | undefined) => JSON.parse(r?.body.toString('utf8') ?? 'null') as unknown
    expect(comment?.url).toBe(`${API}/acme/reporting/appointments/A1/comments`)
    expect(json(comment)).toEqual({ commentText: 'Please prioritise.', commentType: 'AA', isAlert: true })
    expect(comment?.headers['idempotency-key']).toBe('k-c')
    expect(json(submitted)).toEqual({
      reportText: 'Findings.',
      reportStatus: 'final',
      interpretingClinicianEmail: 'dr@example.com',
      reportedAtUtc: '2025-01-10T03:04:05Z',
    })
    expect(submitted?.headers['idempotency-key']).toBe('k-r')
    expect(created?.url).toBe(`${API}/acme/reporting/appointments/A1/report/attachments`)
    expect(json(created)).toEqual({ items: [{ fileName: 'report.pdf', contentType: 'application/pdf' }] })
  })

  it('validates before sending: nothing reaches the server for bad input', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, {}))
    const client = api.client()
    const failures = await Promise.all([
      qubsFailure(
        client.submitReport(
          'acme',
          'A1',
          { reportText: ' ', reportStatus: 'final' },
          { idempotencyKey: 'k' },
        ),
      ),
      qubsFailure(
        client.submitReport(
          'acme',
          'A1',
          { reportText: 'x', reportStatus: 'final' },
          { idempotencyKey: 'ü' },
        ),
      ),
      qubsFailure(
        client.createComment('acme', 'A1', { commentText: 'x', commentType: 'XX' }, { idempotencyKey: 'k' }),
      ),
      qubsFailure(
        client.createReportAttachmentUrls(
          'acme',
          'A1',
          [{ fileName: 'a.exe', contentType: 'application/x-msdownload' as never }],
          { idempotencyKey: 'k' },
        ),
      ),
      qubsFailure(client.listPendingPage('acme', { pageSize: 501 })),
      qubsFailure(client.listAttachments('acme', 'A1', { disposition: 'download' as never })),
      qubsFailure(client.getAppointment('gamma', 'A1')),
      qubsFailure(client.getAppointment('acme', '  ')),
      qubsFailure(
        client.uploadReportAttachment({
          uploadUrl: 'http://example.com/u',
          bytes: Buffer.from('x'),
          contentType: 'application/pdf',
        }),
      ),
    ])
    expect(failures.map((f) => f.kind)).toEqual(Array(failures.length).fill('validation'))
    expect(Object.keys(failures[0]?.issues ?? {})).toEqual(['reportText'])
    expect(Object.keys(failures[1]?.issues ?? {})).toEqual(['idempotencyKey'])
    expect(Object.keys(failures[6]?.issues ?? {})).toEqual(['domain'])
    expect(api.server.requests).toHaveLength(0)
  })

  it('never throws anything but QubsError, even for nonsense arguments', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, {}))
    const client = api.client()
    await expect(
      qubsFailure(client.submitReport('acme', 'A1', null as never, { idempotencyKey: 'k' })),
    ).resolves.toMatchObject({
      kind: 'validation',
    })
    await expect(
      qubsFailure(
        client.submitReport('acme', 'A1', { reportText: 'x', reportStatus: 'final' }, undefined as never),
      ),
    ).resolves.toMatchObject({
      kind: 'validation',
    })
    await client.close()
    await expect(qubsFailure(client.listSites('acme'))).resolves.toMatchObject({ kind: 'aborted' })
  })

  it('checks the connection: a token and the sites of every domain', async () => {
    api = await startTestApi((request, response) => {
      if (request.path.startsWith(`${API}/beta`)) sendProblem(response, 403, { title: 'Forbidden' })
      else sendJson(response, 200, [{ siteName: 'Central' }])
    })
    const check = await api.client().checkConnection()
    expect(check).toEqual({
      ok: false,
      domains: [
        { domain: 'acme', ok: true, siteCount: 1 },
        { domain: 'beta', ok: false, kind: 'http', status: 403 },
      ],
    })
  })
})

describe('pending walk', () => {
  it('follows nextToken to an empty or omitted token, de-duplicates by (domain, id), spans domains', async () => {
    api = await startTestApi((request, response) => {
      const domain = request.path.split('/')[3]
      const token = request.query.get('nextToken')
      if (domain === 'acme') {
        if (!token)
          sendJson(response, 200, {
            items: [{ appointmentId: 'A2' }, { appointmentId: 'A1' }],
            nextToken: 'p2',
          })
        else if (token === 'p2')
          sendJson(response, 200, {
            items: [{ appointmentId: 'A1' }, { appointmentId: 'A3' }],
            nextToken: 'p3',
          })
        else sendJson(response, 200, { items: [], nextToken: '' })
      } else {
        // beta: same appointment ids as acme are different appointments; last page omits the token.
        if (!token)
          sendJson(response, 200, { items: [{ domain: 'beta', appointmentId: 'A1' }], nextToken: 'q2' })
        else sendJson(response, 200, { items: [{ domain: 'beta', appointmentId: 'B9' }] })
      }
    })
    const items = await api.client().walkPending({ pageSize: 2 })
    expect(items.map((i) => `${i.domain}/${i.appointmentId}`).sort()).toEqual([
      'acme/A1',
      'acme/A2',
      'acme/A3',
      'beta/A1',
      'beta/B9',
    ])
    expect(api.apiRequests().map((r) => r.query.get('pageSize'))).toEqual(['2', '2', '2', '2', '2'])
  })

  it('walks only the domains asked for', async () => {
    api = await startTestApi((_request, response) =>
      sendJson(response, 200, { items: [{ appointmentId: 'X' }] }),
    )
    const items = await api.client().walkPending({ domains: ['beta'] })
    expect(items).toEqual([{ domain: 'beta', appointmentId: 'X' }])
    expect(api.apiRequests()).toHaveLength(1)
  })

  it('stops with an invalid-response error when the server repeats a cursor forever', async () => {
    api = await startTestApi((request, response) =>
      sendJson(response, 200, {
        items: [{ appointmentId: `A${request.query.get('nextToken') ?? '0'}` }],
        nextToken: 'again',
      }),
    )
    const error = await qubsFailure(api.client().walkPending({ domains: ['acme'] }))
    expect(error).toMatchObject({ kind: 'invalid-response', title: 'Repeated page cursor' })
    expect(api.apiRequests()).toHaveLength(2)
  })

  it('can be cancelled between pages', async () => {
    const controller = new AbortController()
    let page = 0
    api = await startTestApi((_request, response) => {
      page += 1
      if (page === 2) controller.abort()
      sendJson(response, 200, { items: [{ appointmentId: `A${page}` }], nextToken: `p${page}` })
    })
    const error = await qubsFailure(api.client().walkPending({ signal: controller.signal }))
    expect(error.kind).toBe('aborted')
  })
})

describe('attachment download', () => {
  const PDF = Buffer.from('%PDF-1.7 fake bytes for a test\n%%EOF')

  function fileServer(
    api: TestApi,
    options: { refuseFirst?: number; contentLength?: boolean; body?: Buffer } = {},
  ) {
    let refusals = options.refuseFirst ?? 0
    let version = 0
    api.server.setHandler((request, response) => {
      if (request.path.endsWith('/attachments/g-1')) {
        version += 1
        sendJson(
          response,
          200,
          attachment(api.server.origin, { url: `${api.server.origin}/files/g-1?v=${version}` }),
        )
      } else if (request.path === '/files/g-1') {
        if (refusals > 0) {
          refusals -= 1
          response.writeHead(403, { 'content-type': 'application/xml' })
          response.end('<Error><Code>AccessDenied</Code></Error>')
          return
        }
        const body = options.body ?? PDF
        response.writeHead(200, {
          'content-type': 'application/pdf',
          ...(options.contentLength === false ? {} : { 'content-length': String(body.length) }),
        })
        response.end(body)
      } else sendJson(response, 404, {})
    })
  }

  it('fetches a fresh URL, downloads without Authorization and returns bytes, type and name', async () => {
    api = await startTestApi(() => undefined)
    fileServer(api)
    const result = await api.client().downloadAttachment('acme', 'A1', 'g-1')
    expect(result).toMatchObject({
      contentType: 'application/pdf',
      fileName: 'referral.pdf',
      size: PDF.length,
    })
    expect(result.bytes.equals(PDF)).toBe(true)
    const download = api.server.requests.find((r) => r.path === '/files/g-1')
    expect(download?.headers.authorization).toBeUndefined()
    expect(download?.headers['x-correlation-id']).toBeUndefined()
  })

  it('asks for a new URL when the presigned one answers 403, and when it has expired', async () => {
    api = await startTestApi(() => undefined)
    fileServer(api, { refuseFirst: 1 })
    const client = api.client()
    const result = await client.downloadAttachment('acme', 'A1', 'g-1')
    expect(result.bytes.equals(PDF)).toBe(true)
    const files = api.server.requests.filter((r) => r.path === '/files/g-1').map((r) => r.query.get('v'))
    expect(files).toEqual(['1', '2'])

    // A known attachment whose URL already expired is not even tried.
    const expired = attachment(api.server.origin, {
      url: `${api.server.origin}/files/g-1?v=stale`,
      urlExpiresAtUtc: '2020-01-01T00:00:00Z',
    })
    await client.downloadAttachment('acme', 'A1', 'g-1', { attachment: expired })
    expect(api.server.requests.some((r) => r.query.get('v') === 'stale')).toBe(false)
  })

  it('gives up after a bounded number of URL refreshes', async () => {
    api = await startTestApi(() => undefined)
    fileServer(api, { refuseFirst: 100 })
    const error = await qubsFailure(api.client().downloadAttachment('acme', 'A1', 'g-1'))
    expect(error).toMatchObject({ kind: 'http', status: 403 })
    expect(api.server.requests.filter((r) => r.path === '/files/g-1')).toHaveLength(3)
  })

  it('refuses content over maxBytes, by Content-Length and while streaming', async () => {
    api = await startTestApi(() => undefined)
    fileServer(api, { body: Buffer.alloc(5_000, 1) })
    const client = api.client()
    await expect(client.downloadAttachment('acme', 'A1', 'g-1', { maxBytes: 4_096 })).rejects.toMatchObject({
      kind: 'invalid-response',
      title: 'Attachment exceeds the size limit',
    })
    fileServer(api, { body: Buffer.alloc(5_000, 1), contentLength: false })
    await expect(client.downloadAttachment('acme', 'A1', 'g-1', { maxBytes: 4_096 })).rejects.toMatchObject({
      kind: 'invalid-response',
    })
    // Not retried: the same bytes would come back.
    expect(api.server.requests.filter((r) => r.path === '/files/g-1')).toHaveLength(2)
  })

  it('streams into a Writable and ends it', async () => {
    api = await startTestApi(() => undefined)
    fileServer(api, { body: Buffer.alloc(300_000, 7) })
    const chunks: Buffer[] = []
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk)
        setImmediate(callback)
      },
    })
    const meta = await api.client().downloadAttachmentTo('acme', 'A1', 'g-1', sink)
    expect(meta.size).toBe(300_000)
    expect(Buffer.concat(chunks).equals(Buffer.alloc(300_000, 7))).toBe(true)
    expect(sink.writableFinished).toBe(true)
  })

  it('retries a transient storage failure before any byte was streamed', async () => {
    api = await startTestApi(() => undefined)
    let failures = 1
    const origin = api.server.origin
    api.server.setHandler((request, response) => {
      if (request.path.endsWith('/attachments/g-1')) sendJson(response, 200, attachment(origin))
      else if (failures > 0) {
        failures -= 1
        response.writeHead(503, { 'retry-after': '1' })
        response.end()
      } else {
        response.writeHead(200, { 'content-type': 'application/pdf' })
        response.end(PDF)
      }
    })
    const out = new PassThrough()
    const received: Buffer[] = []
    out.on('data', (chunk: Buffer) => received.push(chunk))
    await api.client().downloadAttachmentTo('acme', 'A1', 'g-1', out)
    expect(Buffer.concat(received).equals(PDF)).toBe(true)
    expect(api.clock.sleeps).toEqual([1_000])
  })
})

describe('report attachment upload', () => {
  it('PUTs the bytes with Content-Type and Content-Length and no Authorization', async () => {
    api = await startTestApi((_request, response) => {
      response.writeHead(200, { etag: '"abc"' })
      response.end()
    })
    const bytes = Buffer.from('%PDF-1.4 report')
    const result = await api.client().uploadReportAttachment({
      uploadUrl: `${api.server.origin}/upload/u-1?X-Sig=1`,
      bytes,
      contentType: 'application/pdf',
    })
    expect(result).toEqual({ status: 200, size: bytes.length, etag: '"abc"' })
    const [put] = api.server.requests
    expect(put?.method).toBe('PUT')
    expect(put?.url).toBe('/upload/u-1?X-Sig=1')
    expect(put?.headers['content-type']).toBe('application/pdf')
    expect(put?.headers['content-length']).toBe(String(bytes.length))
    expect(put?.headers.authorization).toBeUndefined()
    expect(put?.body.equals(bytes)).toBe(true)
  })

  it('returns a refused (expired) upload URL to the caller without retrying it', async () => {
    api = await startTestApi((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/xml' })
      response.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>')
    })
    const error = await qubsFailure(
      api.client().uploadReportAttachment({
        uploadUrl: `${api.server.origin}/upload/u-1`,
        bytes: Buffer.from('x'),
        contentType: 'application/dicom',
      }),
    )
    expect(error).toMatchObject({ kind: 'http', status: 403, retryable: false })
    expect(api.server.requests).toHaveLength(1)
  })
})
