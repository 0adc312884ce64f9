import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSetup, ConnectionTest } from '../../src-preload/contract'
import { startDesktopE2e, type DesktopE2e } from '../support/desktop-e2e'

/**
 * The desktop flows in Chromium through the browser harness, on the composition the app uses
 * (WorkstationHost): first run on the demo, a failed and a passing connection test, connecting to
 * "QUBS" in place, a submission delivered there, settings and the viewer link, support information,
 * and back to the demo. Through `window.qubs`, so it holds whatever the screens look like.
 */
describe('desktop flows in Chromium (browser harness)', () => {
  let e2e: DesktopE2e

  beforeAll(async () => {
    e2e = await startDesktopE2e()
    await e2e.page.goto(e2e.url)
    await e2e.page.waitForFunction(() => 'qubs' in globalThis)
  })

  afterAll(async () => {
    await e2e?.close()
  })

  it('starts a first run on the demo sandbox with its worklist', async () => {
    expect(await e2e.call<ConnectionSetup>('getConnectionSetup')).toMatchObject({
      mode: 'unconfigured',
      running: 'demo',
      firstRun: true,
    })
    expect((await e2e.call<{ total: number }>('refreshWorklist')).total).toBeGreaterThan(0)
  })

  it('explains a refused secret, then connects to QUBS in place and reloads on the events', async () => {
    const refused = await e2e.call<ConnectionTest>('testConnection', e2e.qubsInput({ clientSecret: 'nope' }))
    expect(refused.error?.message).toBe(
      'QUBS refused the client id or secret. Check both with the values QUBS gave you.',
    )
    expect(refused.error?.requestId).toBeTruthy()
    expect((await e2e.call<ConnectionTest>('testConnection', e2e.qubsInput())).ok).toBe(true)
    const setup = await e2e.call<ConnectionSetup>('saveConnection', e2e.qubsInput())
    expect(setup).toMatchObject({
      mode: 'configured',
      running: 'configured',
      connection: { hasClientSecret: true },
    })
    expect(JSON.stringify(setup)).not.toContain('qubs-e2e-secret')
    expect(await e2e.call('getAppInfo')).toMatchObject({ mode: 'configured' })
    expect(e2e.events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['connectionSetupChanged', 'worklistStale']),
    )
  })

  it('delivers a submission to the connected QUBS', async () => {
    const refresh = await e2e.call<{ refreshId: string; total: number }>('refreshWorklist')
    const chunk = await e2e.call<{ items: { domain: string; appointmentId: string }[] }>(
      'getWorklistChunk',
      refresh.refreshId,
      0,
    )
    const [first] = chunk.items
    expect(first?.domain).toBe('acme')
    const entry = await e2e.call<{ id: string }>('enqueueComment', first!.domain, first!.appointmentId, {
      commentText: 'Desktop e2e comment (fake patient).',
      isAlert: false,
    })
    await expect
      .poll(
        async () =>
          (await e2e.call<{ id: string; state: string }[]>('listOutbox')).find((x) => x.id === entry.id)
            ?.state,
        {
          timeout: 20_000,
        },
      )
      .toBe('delivered')
    expect(e2e.events.some((e) => e.event === 'syncProgress')).toBe(true)
  })

  it('keeps a settings change and opens the viewer link built from it', async () => {
    await e2e.call('updateSettings', {
      pacs: { linkTemplate: 'http://127.0.0.1:8042/view?s={studyInstanceUid}&d={domain}' },
    })
    expect(await e2e.call('getSettings')).toMatchObject({
      settings: { pacs: { linkTemplate: 'http://127.0.0.1:8042/view?s={studyInstanceUid}&d={domain}' } },
    })
    const [first] = await e2e.host.workstation.services.client!.walkPending()
    const { url } = await e2e.call<{ url: string }>('openImageViewer', 'acme', first!.appointmentId)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:8042\/view\?s=[\d.]+&d=acme$/)
    expect(e2e.opened).toEqual([url])
  })

  it('gives support information without PHI, and goes back to the demo', async () => {
    const { text } = await e2e.call<{ text: string }>('getSupportInfo')
    expect(text).toContain('(connected to QUBS)')
    expect(text).toContain('domains acme')
    const names = (await e2e.host.workstation.services.client!.walkPending())
      .map((a) => a.patientName)
      .filter(Boolean)
    for (const name of names) expect(text).not.toContain(name!)
    expect(await e2e.call<ConnectionSetup>('useDemo')).toMatchObject({
      mode: 'demo',
      running: 'demo',
      firstRun: false,
    })
    expect(await e2e.call('getAppInfo')).toMatchObject({ mode: 'demo' })
  })
})
