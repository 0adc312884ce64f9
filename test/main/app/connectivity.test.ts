import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connectivity, SiteView, WorklistRefresh } from '../../../src-preload/contract'
import { startCoreOnSandbox, type CoreOnSandbox } from '../../support/core-on-sandbox'
import { call, value } from './support'

/** What the status indicator shows, judged from the core's own reads against a sandbox that stops. */
describe('connectivity and errors when QUBS goes away and comes back', () => {
  let app: CoreOnSandbox
  let appointmentId: string

  beforeAll(async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 10, domains: ['acme'], seed: 6 } })
    appointmentId = app.sandbox.current.admin.pendingAppointmentIds('acme', 1)[0]!
  })
  afterAll(() => app?.close())

  const connectivityEvents = () =>
    app.events.filter((e) => e.event === 'connectivityChanged').map((e) => (e.payload as Connectivity).state)

  it('starts unknown, turns online on the first read', async () => {
    expect(await value<Connectivity>(app, 'getConnectivity')).toMatchObject({ state: 'unknown' })
    await value(app, 'getAppointment', 'acme', appointmentId)
    expect(await value<Connectivity>(app, 'getConnectivity')).toMatchObject({
      state: 'online',
      lastSuccessAt: expect.any(String),
    })
  })

  it('answers network errors and shows offline while the sandbox is stopped, online again after', async () => {
    await app.sandbox.stop()
    const failed = await call(app, 'getAppointment', 'acme', appointmentId)
    expect(failed).toMatchObject({ ok: false, error: { code: 'network' } })
    const refresh = await value<WorklistRefresh>(app, 'refreshWorklist')
    expect(refresh.domains[0]).toMatchObject({ ok: false, error: { code: 'network' } })
    expect(await value<Connectivity>(app, 'getConnectivity')).toMatchObject({ state: 'offline' })
    expect(connectivityEvents().at(-1)).toBe('offline')

    await app.sandbox.start()
    await value(app, 'getAppointment', 'acme', appointmentId)
    expect(await value<Connectivity>(app, 'getConnectivity')).toMatchObject({ state: 'online' })
    expect(connectivityEvents().slice(-2)).toEqual(['offline', 'online'])
  })

  it('lists every site with its time zone from the site settings, cached', async () => {
    const sites = await value<SiteView[]>(app, 'listSites')
    expect(sites.length).toBeGreaterThan(0)
    for (const site of sites) expect(site).toMatchObject({ domain: 'acme', siteName: expect.any(String) })
    expect(sites.some((s) => typeof s.timeZone === 'string' && s.timeZone.includes('/'))).toBe(true)
    await app.sandbox.stop()
    try {
      // Kept in memory for a while: a list the person saw a minute ago does not vanish offline.
      expect(await value<SiteView[]>(app, 'listSites')).toEqual(sites)
    } finally {
      await app.sandbox.start()
    }
  })
})

describe('credentials refused', () => {
  let app: CoreOnSandbox

  beforeAll(async () => {
    app = await startCoreOnSandbox({
      sandbox: { appointments: 10, domains: ['acme'], seed: 8 },
      clientSecret: 'wrong-secret',
      startSync: false,
    })
  })
  afterAll(() => app?.close())

  it('answers auth and shows credentials-refused with a PHI-free detail', async () => {
    const envelope = await call(app, 'getAppointment', 'acme', 'A1')
    expect(envelope).toMatchObject({ ok: false, error: { code: 'auth' } })
    expect(await value<Connectivity>(app, 'getConnectivity')).toMatchObject({
      state: 'credentials-refused',
      detail: 'QUBS refused the client credentials',
    })
  })
})
