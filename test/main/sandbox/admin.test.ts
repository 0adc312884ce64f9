import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src-main/sandbox/index'
import { api, getToken, rawRequest, reporting, sandboxForFile } from './helpers'

const START = Date.UTC(2026, 5, 1)
const sandbox = await sandboxForFile({ appointments: 30, now: () => START })
const token = await getToken(sandbox)

const admin = <T = unknown>(path: string, method = 'GET', json?: unknown) =>
  api<T>(sandbox, null, `/__admin${path}`, { method, ...(json === undefined ? {} : { json }) })

describe('admin over HTTP', () => {
  it('sets, reads, injects and clears faults', async () => {
    const set = await admin<{ settings: { rate: number; kinds: string[] } }>('/faults', 'PUT', {
      rate: 0.25,
      seed: 9,
      kinds: ['500', 'reset'],
    })
    expect(set.status).toBe(200)
    expect(set.body.settings).toMatchObject({ rate: 0.25, kinds: ['500', 'reset'] })
    const injected = await admin<{ scripted: unknown[] }>('/faults/next', 'POST', {
      kind: '503',
      method: 'GET',
      path: '/sites$',
      count: 2,
    })
    expect(injected.body.scripted).toEqual([
      { kind: '503', method: 'GET', path: '/sites$', count: 2, remaining: 2 },
    ])
    const cleared = await admin<{ settings: { rate: number }; scripted: unknown[] }>('/faults', 'DELETE')
    expect(cleared.body).toMatchObject({ settings: { rate: 0 }, scripted: [] })
    expect((await admin('/faults', 'PUT', { rate: 2 })).status).toBe(400)
    expect((await admin('/faults/next', 'POST', { kind: 'meteor' })).status).toBe(400)
  })

  it('injects a scripted fault that the next request gets', async () => {
    await admin('/faults/next', 'POST', { kind: '500', path: '/sites$' })
    expect((await api(sandbox, token, '/integrations/v1/demo/sites')).status).toBe(500)
    expect((await api(sandbox, token, '/integrations/v1/demo/sites')).status).toBe(200)
  })

  it('reports committed effects in order, and filters by sequence number', async () => {
    const [a, b] = sandbox.admin.pendingAppointmentIds('demo', 2)
    await api(sandbox, token, reporting('demo', `/${a}/report`), {
      json: { reportText: 'P.', reportStatus: 'preliminary' },
      headers: { 'Idempotency-Key': 'eff-1' },
    })
    await api(sandbox, token, reporting('demo', `/${b}/comments`), { json: { commentText: 'C.' } })
    const effects =
      await admin<
        { seq: number; kind: string; appointmentId: string; idempotencyKey: string | null; at: string }[]
      >('/effects')
    expect(effects.body.map((e) => [e.seq, e.kind, e.appointmentId, e.idempotencyKey])).toEqual([
      [1, 'report', a, 'eff-1'],
      [2, 'comment', b, null],
    ])
    expect(effects.body[0]?.at).toBe(new Date(START).toISOString())
    expect((await admin<unknown[]>('/effects?since=1')).body).toHaveLength(1)
    expect(effects.body).toEqual(JSON.parse(JSON.stringify(sandbox.admin.effects())))
  })

  it('changes an appointment status so it 404s, and rejects unknown statuses', async () => {
    const [, , id] = sandbox.admin.pendingAppointmentIds('demo', 3)
    expect((await api(sandbox, token, reporting('demo', `/${id}`))).status).toBe(200)
    const changed = await admin(`/appointments/demo/${id}/status`, 'POST', { status: 'FINALISED' })
    expect(changed.status).toBe(200)
    expect((await api(sandbox, token, reporting('demo', `/${id}`))).status).toBe(404)
    expect(
      (await admin(`/appointments/demo/${id}/status`, 'POST', { status: 'PENDING REPORTING' })).status,
    ).toBe(200)
    expect((await api(sandbox, token, reporting('demo', `/${id}`))).status).toBe(200)
    expect((await admin(`/appointments/demo/${id}/status`, 'POST', { status: 'LOST' })).status).toBe(400)
    expect((await admin('/appointments/demo/A0/status', 'POST', { status: 'FINALISED' })).status).toBe(404)
  })

  it('advances the clock, which expires tokens', async () => {
    const clock = await admin<{ nowMs: number }>('/clock')
    const advanced = await admin<{ nowMs: number }>('/clock/advance', 'POST', { ms: 3_600_000 })
    expect(advanced.body.nowMs - clock.body.nowMs).toBe(3_600_000)
    expect((await api(sandbox, token, '/integrations/v1/demo/sites')).status).toBe(401)
    expect((await admin('/clock/advance', 'POST', { ms: -1 })).status).toBe(400)
  })

  it('lists pending appointment ids', async () => {
    const ids = await admin<string[]>('/appointments/demo/pending?limit=3')
    expect(ids.body).toEqual(sandbox.admin.pendingAppointmentIds('demo', 3))
  })

  it('counts requests per route and faults per kind', async () => {
    const stats = await admin<{ requests: Record<string, number>; faults: Record<string, number> }>('/stats')
    expect(stats.body.requests['POST /oauth2/token']).toBe(1)
    expect(stats.body.requests['GET /integrations/v1/{domain}/sites']).toBeGreaterThanOrEqual(3)
    expect(stats.body.faults['500']).toBe(1)
  })

  it('needs no token and is never faulted', async () => {
    sandbox.admin.setFaults({ rate: 1, kinds: ['reset'] })
    try {
      expect((await admin('/stats')).status).toBe(200)
    } finally {
      sandbox.admin.clearFaults()
    }
  })
})

describe('admin disabled', () => {
  it('does not mount /__admin, while the in-process handle still works', async () => {
    const closed = await startSandbox({ appointments: 10, admin: false })
    try {
      const response = await rawRequest(`${closed.baseUrl}/__admin/stats`)
      expect(response.status).toBe(404)
      expect(closed.admin.stats().requests['GET (unmatched)']).toBe(1)
    } finally {
      await closed.close()
    }
  })
})
