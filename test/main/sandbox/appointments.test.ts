import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src-main/sandbox/index'
import { api, getToken, reporting, sandboxForFile, walkPending } from './helpers'

const sandbox = await sandboxForFile({ appointments: 120, seed: 7 })
const token = await getToken(sandbox)

interface Page {
  items: { appointmentId: string; status: string; appointmentDate: string }[]
  nextToken?: string
}

describe('pending list paging', () => {
  it('defaults to pages of 100 and walks every pending appointment exactly once', async () => {
    const first = await api<Page>(sandbox, token, reporting('demo', '/pending'))
    expect(first.status).toBe(200)
    expect(first.body.items).toHaveLength(100)
    expect(first.body.nextToken).toMatch(/^[A-Za-z0-9._~-]+$/)
    const { items } = await walkPending(sandbox, token, 'demo', 7)
    const ids = items.map((a) => a.appointmentId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(sandbox.admin.pendingAppointmentIds('demo', 1000).sort())
    expect(items.every((a) => (a as unknown as { status: string }).status === 'PENDING REPORTING')).toBe(true)
  })

  it('returns results in no particular order (not by id, not by date)', async () => {
    const page = await api<Page>(sandbox, token, reporting('demo', '/pending?pageSize=30'))
    const ids = page.body.items.map((a) => a.appointmentId)
    expect(ids).not.toEqual([...ids].sort())
    const dates = page.body.items.map((a) => a.appointmentDate)
    expect(dates).not.toEqual([...dates].sort())
  })

  it('accepts pageSize 1 and 500 and rejects 0, 501 and non-numbers with a validation problem', async () => {
    expect(
      (await api<Page>(sandbox, token, reporting('demo', '/pending?pageSize=1'))).body.items,
    ).toHaveLength(1)
    const all = await api<Page>(sandbox, token, reporting('demo', '/pending?pageSize=500'))
    expect(all.status).toBe(200)
    for (const bad of ['0', '501', 'ten', '-1', '2.5']) {
      const response = await api<{ errors: Record<string, string[]> }>(
        sandbox,
        token,
        reporting('demo', `/pending?pageSize=${bad}`),
      )
      expect(response.status, bad).toBe(400)
      expect(response.body.errors.pageSize?.length).toBeGreaterThan(0)
    }
  })

  it('ends with an empty nextToken by default, or none when configured to omit it', async () => {
    const all = await api<Page>(sandbox, token, reporting('demo', '/pending?pageSize=500'))
    expect(all.body.nextToken).toBe('')
    const omitting = await startSandbox({ appointments: 10, lastPageNextToken: 'omit' })
    try {
      const last = await api<Page>(
        omitting,
        await getToken(omitting),
        reporting('demo', '/pending?pageSize=500'),
      )
      expect(last.status).toBe(200)
      expect('nextToken' in last.body).toBe(false)
    } finally {
      await omitting.close()
    }
  })

  it('rejects a forged nextToken or one from another domain with 400', async () => {
    const multi = await startSandbox({ appointments: 30, domains: ['acme', 'beta'] })
    try {
      const multiToken = await getToken(multi)
      const page = await api<Page>(multi, multiToken, reporting('acme', '/pending?pageSize=2'))
      const next = page.body.nextToken ?? ''
      expect((await api(multi, multiToken, reporting('acme', `/pending?nextToken=${next}`))).status).toBe(200)
      expect((await api(multi, multiToken, reporting('beta', `/pending?nextToken=${next}`))).status).toBe(400)
      expect((await api(multi, multiToken, reporting('acme', '/pending?nextToken=garbage'))).status).toBe(400)
    } finally {
      await multi.close()
    }
  })

  it('skips appointments that stopped being pending in the middle of a walk', async () => {
    const walker = await startSandbox({ appointments: 30 })
    try {
      const walkerToken = await getToken(walker)
      const ids = walker.admin.pendingAppointmentIds('demo', 100)
      const last = ids[ids.length - 1] as string
      const first = await api<Page>(walker, walkerToken, reporting('demo', '/pending?pageSize=2'))
      walker.admin.setAppointmentStatus('demo', last, 'FINALISED')
      const rest: string[] = first.body.items.map((a) => a.appointmentId)
      let next = first.body.nextToken
      while (next) {
        const page = await api<Page>(
          walker,
          walkerToken,
          reporting('demo', `/pending?pageSize=5&nextToken=${next}`),
        )
        rest.push(...page.body.items.map((a) => a.appointmentId))
        next = page.body.nextToken
      }
      expect(rest).not.toContain(last)
      expect(rest).toHaveLength(ids.length - 1)
    } finally {
      await walker.close()
    }
  })

  it('pages through 5 000 appointments with pageSize 500 (50 000: see seed.test.ts and sandbox.bench.ts)', async () => {
    const big = await startSandbox({ appointments: 5_000, seed: 3 })
    try {
      const { items, pages } = await walkPending(big, await getToken(big), 'demo', 500)
      expect(new Set(items.map((a) => a.appointmentId)).size).toBe(items.length)
      expect(items.length).toBe(big.admin.pendingAppointmentIds('demo', 50_000).length)
      expect(pages).toBe(Math.ceil(items.length / 500))
    } finally {
      await big.close()
    }
  })
})

describe('appointment view', () => {
  it('returns the documented fields for a pending appointment', async () => {
    const [id] = sandbox.admin.pendingAppointmentIds('demo', 1)
    const view = await api<Record<string, unknown>>(sandbox, token, reporting('demo', `/${id}`))
    expect(view.status).toBe(200)
    expect(view.body).toMatchObject({
      domain: 'demo',
      appointmentId: id,
      status: 'PENDING REPORTING',
      report: null,
    })
    for (const field of [
      'scheduledSite',
      'appointmentDate',
      'startTime',
      'endTime',
      'patientId',
      'patientName',
      'dateOfBirth',
      'modality',
      'studyDescription',
      'priority',
      'studyInstanceUid',
    ]) {
      expect(view.body[field], field).toBeTruthy()
    }
    expect(view.body.appointmentDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(view.body.startTime).toMatch(/^\d{2}:\d{2}:\d{2}$/)
  })

  it('answers 404 for an unknown appointment', async () => {
    const response = await api(sandbox, token, reporting('demo', '/A999999'))
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
  })
})

describe('appointments not in PENDING REPORTING', () => {
  it('answer 404 on every reporting endpoint', async () => {
    const [id] = sandbox.admin.pendingAppointmentIds('demo', 1)
    const base = reporting('demo', `/${id}`)
    const attachments = await api<{ guid: string }[]>(sandbox, token, `${base}/attachments`)
    const comments = await api<{ guid: string }[]>(sandbox, token, `${base}/comments`)
    const attachmentGuid = attachments.body[0]?.guid ?? 'none'
    const commentGuid = comments.body[0]?.guid ?? 'none'
    sandbox.admin.setAppointmentStatus('demo', id as string, 'FINALISED')
    const calls: [string, string, unknown?][] = [
      ['GET', base],
      ['GET', `${base}/attachments`],
      ['GET', `${base}/attachments/${attachmentGuid}`],
      ['GET', `${base}/comments`],
      ['GET', `${base}/comments/${commentGuid}`],
      ['POST', `${base}/comments`, { commentText: 'Seen.' }],
      ['POST', `${base}/report`, { reportText: 'Text.', reportStatus: 'final' }],
      ['POST', `${base}/report/attachments`, { items: [{ fileName: 'a.pdf' }] }],
    ]
    for (const [method, path, json] of calls) {
      const response = await api(sandbox, token, path, { method, ...(json ? { json } : {}) })
      expect(response.status, `${method} ${path}`).toBe(404)
    }
    const pending = await walkPending(sandbox, token, 'demo', 500)
    expect(pending.items.map((a) => a.appointmentId)).not.toContain(id)
    expect(sandbox.admin.effects()).toHaveLength(0)
  })

  it('includes seeded appointments in other statuses', async () => {
    const response = await walkPending(sandbox, token, 'demo', 500)
    expect(response.items.length).toBeLessThan(120)
    expect(response.items.length).toBeGreaterThan(80)
  })
})

describe('sites', () => {
  it('lists sites, gives each site its IANA time zone, and lists its exam codes', async () => {
    const sites = await api<{ domain: string; siteName: string }[]>(
      sandbox,
      token,
      '/integrations/v1/demo/sites',
    )
    expect(sites.status).toBe(200)
    expect(sites.body.length).toBeGreaterThanOrEqual(3)
    const zones = new Set<string>()
    for (const site of sites.body) {
      expect(site.domain).toBe('demo')
      const settings = await api<{ siteName: string; timeZone: string }>(
        sandbox,
        token,
        `/integrations/v1/demo/sites/${encodeURIComponent(site.siteName)}`,
      )
      expect(settings.status).toBe(200)
      expect(() => new Intl.DateTimeFormat('en', { timeZone: settings.body.timeZone })).not.toThrow()
      zones.add(settings.body.timeZone)
      const codes = await api<{ examCodeId: number; site: string; totalDuration: number }[]>(
        sandbox,
        token,
        `/integrations/v1/demo/sites/${encodeURIComponent(site.siteName)}/exam-codes`,
      )
      expect(codes.body.length).toBeGreaterThan(0)
      expect(codes.body.every((c) => c.site === site.siteName && c.totalDuration > 0)).toBe(true)
    }
    for (const zone of ['Australia/Sydney', 'Australia/Perth', 'Pacific/Auckland'])
      expect(zones).toContain(zone)
  })

  it('answers 404 for an unknown site', async () => {
    expect((await api(sandbox, token, '/integrations/v1/demo/sites/Nowhere')).status).toBe(404)
    expect((await api(sandbox, token, '/integrations/v1/demo/sites/Nowhere/exam-codes')).status).toBe(404)
  })

  it('schedules every appointment at a listed site', async () => {
    const sites = await api<{ siteName: string }[]>(sandbox, token, '/integrations/v1/demo/sites')
    const names = new Set(sites.body.map((s) => s.siteName))
    const { items } = await walkPending(sandbox, token, 'demo', 500)
    for (const item of items)
      expect(names).toContain((item as unknown as { scheduledSite: string }).scheduledSite)
  })
})
