import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src-main/sandbox/index'
import { api, getToken, rawRequest, reporting, sandboxForFile } from './helpers'

const sandbox = await sandboxForFile({ appointments: 60, domains: ['acme', 'beta'] })
const token = await getToken(sandbox)
const ids = sandbox.admin.pendingAppointmentIds('acme', 20)
let nextId = 0
const takeId = () => ids[nextId++] as string

type Endpoint = { name: string; path: (id: string) => string; body: unknown; other: unknown; status: number }
const endpoints: Endpoint[] = [
  {
    name: 'report',
    path: (id) => reporting('acme', `/${id}/report`),
    body: { reportText: 'One.', reportStatus: 'final' },
    other: { reportText: 'Two.', reportStatus: 'final' },
    status: 200,
  },
  {
    name: 'comments',
    path: (id) => reporting('acme', `/${id}/comments`),
    body: { commentText: 'One.' },
    other: { commentText: 'Two.' },
    status: 201,
  },
  {
    name: 'report-attachments',
    path: (id) => reporting('acme', `/${id}/report/attachments`),
    body: { items: [{ fileName: 'a.pdf', contentType: 'application/pdf' }] },
    other: { items: [{ fileName: 'b.pdf', contentType: 'application/pdf' }] },
    status: 201,
  },
]

const post = (path: string, json: unknown, key?: string, client = sandbox, bearer = token) =>
  api<Record<string, unknown>>(client, bearer, path, {
    json,
    headers: key === undefined ? {} : { 'Idempotency-Key': key },
  })

describe.each(endpoints)('Idempotency-Key on $name', (endpoint) => {
  it('replays the original status and body for the same key and payload, with no new effect', async () => {
    const path = endpoint.path(takeId())
    const before = sandbox.admin.effects().length
    const first = await post(path, endpoint.body, 'key-same-1')
    expect(first.status).toBe(endpoint.status)
    const again = await post(path, endpoint.body, 'key-same-1')
    expect(again.status).toBe(first.status)
    expect(again.body).toEqual(first.body)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(sandbox.admin.effects().length - before).toBe(1)
  })

  it('treats the same JSON with other key order or whitespace as the same payload', async () => {
    const path = endpoint.path(takeId())
    const first = await post(path, endpoint.body, 'key-order-1')
    const reordered = JSON.stringify(
      Object.fromEntries(Object.entries(endpoint.body as object).reverse()),
      null,
      2,
    )
    const again = await api(sandbox, token, path, {
      rawBody: reordered,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'key-order-1' },
    })
    expect(again.status).toBe(first.status)
    expect(again.body).toEqual(first.body)
  })

  it('answers 409 for the same key with another payload, and keeps the original', async () => {
    const path = endpoint.path(takeId())
    const first = await post(path, endpoint.body, 'key-conflict-1')
    const conflict = await post(path, endpoint.other, 'key-conflict-1')
    expect(conflict.status).toBe(409)
    expect(conflict.headers.get('content-type')).toBe('application/problem+json')
    expect(JSON.stringify(conflict.body)).not.toContain('Two.')
    expect((await post(path, endpoint.body, 'key-conflict-1')).body).toEqual(first.body)
  })
})

describe('Idempotency-Key format', () => {
  it('accepts 128 ASCII characters and rejects 129, empty and non-ASCII keys with 400', async () => {
    const path = endpoints[1]?.path(takeId()) as string
    expect((await post(path, { commentText: 'Ok.' }, 'k'.repeat(128))).status).toBe(201)
    const long = await post(path, { commentText: 'Ok.' }, 'k'.repeat(129))
    expect(long.status).toBe(400)
    expect((long.body as { errors: Record<string, string[]> }).errors['Idempotency-Key']).toBeDefined()
    const url = `${sandbox.baseUrl}${path}`
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
    const body = JSON.stringify({ commentText: 'Ok.' })
    const nonAscii = await rawRequest(url, {
      method: 'POST',
      body,
      headers: { ...headers, 'Idempotency-Key': 'clé-1' },
    })
    expect(nonAscii.status).toBe(400)
    const empty = await rawRequest(url, {
      method: 'POST',
      body,
      headers: { ...headers, 'Idempotency-Key': '' },
    })
    expect(empty.status).toBe(400)
  })
})

describe('Idempotency-Key scope (client + domain + endpoint + appointment)', () => {
  it('treats the same key on another appointment, endpoint or domain as a new request', async () => {
    const [a, b] = [takeId(), takeId()]
    const betaId = sandbox.admin.pendingAppointmentIds('beta', 1)[0] as string
    const before = sandbox.admin.effects().length
    const body = { commentText: 'Scoped.' }
    expect((await post(reporting('acme', `/${a}/comments`), body, 'shared-key')).status).toBe(201)
    expect((await post(reporting('acme', `/${b}/comments`), body, 'shared-key')).status).toBe(201)
    expect((await post(reporting('beta', `/${betaId}/comments`), body, 'shared-key')).status).toBe(201)
    expect(
      (
        await post(
          reporting('acme', `/${a}/report`),
          { reportText: 'R.', reportStatus: 'final' },
          'shared-key',
        )
      ).status,
    ).toBe(200)
    expect(sandbox.admin.effects().length - before).toBe(4)
  })

  it('does not share keys between clients of different sandboxes (keys belong to their client)', async () => {
    const other = await startSandbox({
      appointments: 10,
      clientId: 'other-client',
      clientSecret: 'other-secret',
    })
    try {
      const otherToken = await getToken(other)
      const id = other.admin.pendingAppointmentIds('demo', 1)[0] as string
      const path = reporting('demo', `/${id}/comments`)
      expect((await post(path, { commentText: 'A.' }, 'k1', other, otherToken)).status).toBe(201)
      expect((await post(path, { commentText: 'B.' }, 'k1', other, otherToken)).status).toBe(409)
    } finally {
      await other.close()
    }
  })
})

describe('key retention', () => {
  it('keeps report and comment keys 24 hours, upload keys 15 minutes', async () => {
    const clocked = await startSandbox({ appointments: 10 })
    try {
      const clockedToken = await getToken(clocked)
      const [id] = clocked.admin.pendingAppointmentIds('demo', 1)
      const report = reporting('demo', `/${id}/report`)
      const uploads = reporting('demo', `/${id}/report/attachments`)
      const reportBody = { reportText: 'Kept.', reportStatus: 'final' }
      const uploadBody = { items: [{ fileName: 'k.pdf' }] }
      const send = (path: string, json: unknown) => post(path, json, 'retained', clocked, clockedToken)
      const first = await send(report, reportBody)
      const firstUpload = await send(uploads, uploadBody)
      clocked.admin.advanceClock(15 * 60_000 - 1_000)
      expect((await send(uploads, uploadBody)).body).toEqual(firstUpload.body)
      clocked.admin.advanceClock(1_000)
      expect((await send(uploads, uploadBody)).body).not.toEqual(firstUpload.body)
      clocked.admin.advanceClock(24 * 3_600_000 - 15 * 60_000 - 1_000)
      // Refresh the token: the 60-minute access token has long expired on the sandbox clock.
      const fresh = await getToken(clocked)
      const replay = await post(report, reportBody, 'retained', clocked, fresh)
      expect(replay.body).toEqual(first.body)
      clocked.admin.advanceClock(1_000)
      const afterExpiry = await post(report, reportBody, 'retained', clocked, fresh)
      expect(afterExpiry.status).toBe(200)
      expect(afterExpiry.body.reportGuid).not.toBe(first.body.reportGuid)
      expect(clocked.admin.effects().map((e) => e.kind)).toEqual([
        'report',
        'report-attachment',
        'report-attachment',
        'report',
      ])
    } finally {
      await clocked.close()
    }
  })

  it('replays a recorded answer even after the appointment left PENDING REPORTING; new keys get 404', async () => {
    const id = takeId()
    const path = reporting('acme', `/${id}/report`)
    const body = { reportText: 'Final.', reportStatus: 'final' }
    const first = await post(path, body, 'before-finalised')
    sandbox.admin.setAppointmentStatus('acme', id, 'FINALISED')
    const replay = await post(path, body, 'before-finalised')
    expect(replay.status).toBe(200)
    expect(replay.body).toEqual(first.body)
    expect((await post(path, body, 'after-finalised')).status).toBe(404)
  })

  it('records nothing for a rejected request, so the corrected request can use the same key', async () => {
    const path = reporting('acme', `/${takeId()}/report`)
    expect((await post(path, { reportText: 'x', reportStatus: 'nope' }, 'fix-me')).status).toBe(400)
    expect((await post(path, { reportText: 'x', reportStatus: 'final' }, 'fix-me')).status).toBe(200)
  })
})
