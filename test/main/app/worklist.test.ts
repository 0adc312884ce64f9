import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  WORKLIST_CHUNK_SIZE,
  WorklistChunkSchema,
  type WorklistChunk,
  type WorklistProgress,
  type WorklistRefresh,
} from '../../../src-preload/contract'
import { startCoreOnSandbox, type CoreOnSandbox } from '../../support/core-on-sandbox'
import { call, logText, value } from './support'

/** refreshWorklist / getWorklistChunk through the real dispatcher, against the sandbox on loopback. */
describe('worklist refresh', () => {
  let app: CoreOnSandbox

  beforeAll(async () => {
    // 1 100 per domain: three pages of 500 each, and more than one chunk in total.
    app = await startCoreOnSandbox({ sandbox: { appointments: 1_100, domains: ['acme', 'beta'], seed: 3 } })
  })
  afterAll(() => app?.close())

  async function readAll(refresh: WorklistRefresh): Promise<WorklistChunk['items']> {
    const items: WorklistChunk['items'] = []
    for (let index = 0; index < refresh.chunkCount; index++) {
      const chunk = await value<WorklistChunk>(app, 'getWorklistChunk', refresh.refreshId, index)
      expect(WorklistChunkSchema.parse(chunk).items.length).toBeLessThanOrEqual(WORKLIST_CHUNK_SIZE)
      items.push(...chunk.items)
    }
    return items
  }

  it('walks every page of every domain, de-duplicated, in chunks, with progress per page', async () => {
    app.events.length = 0
    const refresh = await value<WorklistRefresh>(app, 'refreshWorklist')
    const expected = (await app.services.client!.walkPending()).map((a) => `${a.domain}/${a.appointmentId}`)
    expect(refresh.total).toBe(expected.length)
    expect(refresh.chunkCount).toBe(Math.ceil(expected.length / WORKLIST_CHUNK_SIZE))
    expect(refresh.domains.map((d) => [d.domain, d.ok])).toEqual([
      ['acme', true],
      ['beta', true],
    ])
    for (const domain of refresh.domains) expect(domain.pages).toBeGreaterThanOrEqual(2)
    const items = await readAll(refresh)
    const keys = items.map((a) => `${a.domain}/${a.appointmentId}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys.sort()).toEqual(expected.sort())
    const progress = app.events
      .filter((e) => e.event === 'worklistProgress')
      .map((e) => e.payload as WorklistProgress)
    const acme = progress.filter((p) => p.domain === 'acme')
    expect(acme.map((p) => p.pages)).toEqual([
      ...Array.from({ length: refresh.domains[0]!.pages }, (_, i) => i + 1),
      refresh.domains[0]!.pages,
    ])
    expect(acme.at(-1)).toMatchObject({ done: true, items: refresh.domains[0]!.items })
    expect(progress.every((p) => p.refreshId === refresh.refreshId)).toBe(true)
  })

  it('maps rows to the strict view: null for absent fields, unknown fields in extra', async () => {
    const refresh = await value<WorklistRefresh>(app, 'refreshWorklist')
    const [row] = (await value<WorklistChunk>(app, 'getWorklistChunk', refresh.refreshId, 0)).items
    expect(row).toMatchObject({ domain: expect.any(String), appointmentId: expect.any(String) })
    expect(Object.keys(row!.extra)).not.toContain('patientName')
    expect(row!.patientName).toEqual(expect.any(String))
  })

  it('lets a second call join the running refresh', async () => {
    const [first, second] = await Promise.all([
      value<WorklistRefresh>(app, 'refreshWorklist'),
      value<WorklistRefresh>(app, 'refreshWorklist'),
    ])
    expect(second.refreshId).toBe(first.refreshId)
  })

  it('keeps only the latest two refreshes in memory', async () => {
    const first = await value<WorklistRefresh>(app, 'refreshWorklist')
    await value(app, 'refreshWorklist')
    await value(app, 'refreshWorklist')
    const gone = await call(app, 'getWorklistChunk', first.refreshId, 0)
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })

  it('answers not-found for a chunk past the end', async () => {
    const refresh = await value<WorklistRefresh>(app, 'refreshWorklist')
    expect(await call(app, 'getWorklistChunk', refresh.refreshId, refresh.chunkCount)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })
})

describe('worklist refresh with a domain QUBS refuses', () => {
  let app: CoreOnSandbox

  beforeAll(async () => {
    app = await startCoreOnSandbox({
      sandbox: { appointments: 20, domains: ['acme'], seed: 4 },
      connectionDomains: ['acme', 'forbidden'],
    })
  })
  afterAll(() => app?.close())

  it('reports the failing domain without PHI while the other still succeeds', async () => {
    const refresh = await value<WorklistRefresh>(app, 'refreshWorklist')
    const acme = refresh.domains.find((d) => d.domain === 'acme')!
    const forbidden = refresh.domains.find((d) => d.domain === 'forbidden')!
    expect(acme).toMatchObject({ ok: true })
    expect(refresh.total).toBe(acme.items)
    expect(refresh.total).toBeGreaterThan(0)
    expect(forbidden).toMatchObject({ ok: false, items: 0, error: { code: 'auth' } })
    expect(forbidden.error!.correlationId).toEqual(expect.any(String))
    const rows = await value<WorklistChunk>(app, 'getWorklistChunk', refresh.refreshId, 0)
    const names = rows.items.map((a) => a.lastName).filter((n): n is string => Boolean(n))
    const text = JSON.stringify(forbidden) + logText(app)
    for (const name of names) expect(text).not.toContain(name)
  })
})

describe('worklist refresh when the host cannot deliver events', () => {
  let app: CoreOnSandbox

  beforeAll(async () => {
    app = await startCoreOnSandbox({
      sandbox: { appointments: 10, domains: ['acme'], seed: 13 },
      // A window that closed mid-refresh, say: pushing an event throws.
      onEvent: () => {
        throw new Error('the window is gone')
      },
    })
  })
  afterAll(() => app?.close())

  it('still refreshes and reads: an event that cannot be pushed is logged, not fatal', async () => {
    const refresh = await value<WorklistRefresh>(app, 'refreshWorklist')
    expect(refresh.domains).toEqual([expect.objectContaining({ domain: 'acme', ok: true })])
    expect(refresh.total).toBeGreaterThan(0)
    expect(app.logs.records.some((r) => r.message === 'event could not be pushed to the renderer')).toBe(true)
  })
})
