import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '../../../src-main/common/logger'
import { ViewerConsent, viewerOriginsFromEnv } from '../../../src-main/core/app/viewer-consent'
import { describe, expect, it } from 'vitest'
import { buildViewerLink } from '../../../src-main/core/app/pacs-link'
import { ContractError } from '../../../src-preload/contract/server'
import { desktopCoreEachTest } from './desktop-fixture'
import { call, logText, value } from './support'

const values = { studyInstanceUid: '1.2.3', appointmentId: 'A 1/2', patientId: 'P&7', domain: 'acme' }

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run()
  } catch (error) {
    if (error instanceof ContractError) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a refusal')
}

describe('buildViewerLink', () => {
  it('puts every placeholder in, URL-encoded, and keeps the template origin', () => {
    expect(
      buildViewerLink(
        'https://pacs.example/viewer/{domain}?study={studyInstanceUid}&appt={appointmentId}&pid={patientId}',
        values,
      ),
    ).toEqual({
      url: 'https://pacs.example/viewer/acme?study=1.2.3&appt=A%201%2F2&pid=P%267',
      origin: 'https://pacs.example',
    })
  })

  it('refuses a placeholder in the origin, so no value can choose where the browser goes', () => {
    expect(
      refusal(() => buildViewerLink('https://{domain}.pacs.example/v?s={studyInstanceUid}', values)).code,
    ).toBe('validation')
    expect(refusal(() => buildViewerLink('https://pacs.example{patientId}/v', values)).code).toBe(
      'validation',
    )
  })

  it('refuses plain http except on loopback, unknown placeholders, and an empty template', () => {
    expect(refusal(() => buildViewerLink('http://pacs.example/v?s={studyInstanceUid}', values)).code).toBe(
      'validation',
    )
    expect(buildViewerLink('http://127.0.0.1:8042/v?s={studyInstanceUid}', values).origin).toBe(
      'http://127.0.0.1:8042',
    )
    expect(refusal(() => buildViewerLink('https://pacs.example/v?s={accession}', values)).message).toContain(
      '{accession}',
    )
    expect(refusal(() => buildViewerLink('', values)).code).toBe('unavailable')
  })

  it('says plainly which value the appointment lacks', () => {
    expect(
      refusal(() =>
        buildViewerLink('https://pacs.example/v?s={studyInstanceUid}', { ...values, studyInstanceUid: null }),
      ),
    ).toEqual({
      code: 'not-found',
      message: 'this appointment has no study instance UID, which the image viewer link needs',
    })
  })
})

describe('openImageViewer', () => {
  const start = desktopCoreEachTest()

  it("opens the appointment's study through the injected port, allowed only to the template origin, and logs no query", async () => {
    const opened: { url: string; allowed: readonly string[] }[] = []
    const app = await start(
      {
        pacs: {
          linkTemplate: 'http://127.0.0.1:8042/viewer?study={studyInstanceUid}&pid={patientId}&d={domain}',
        },
      },
      {
        core: {
          openExternal: async (url, allowed) => void opened.push({ url, allowed }),
          viewerConsent: { require: async () => undefined },
        },
      },
    )
    const [first] = await app.services.client!.walkPending()
    const appointment = await app.services.client!.getAppointment(first!.domain, first!.appointmentId)
    const answer = await value<{ url: string }>(app, 'openImageViewer', first!.domain, first!.appointmentId)
    const expected =
      `http://127.0.0.1:8042/viewer?study=${encodeURIComponent(appointment.studyInstanceUid!)}` +
      `&pid=${encodeURIComponent(appointment.patientId!)}&d=${first!.domain}`
    expect(answer.url).toBe(expected)
    expect(opened).toEqual([{ url: expected, allowed: ['http://127.0.0.1:8042'] }])
    expect(logText(app)).not.toContain(appointment.patientId!)
    expect(logText(app)).not.toContain('study=')
  })

  it('answers unavailable without a way to open a browser, and not-found for an appointment that is gone', async () => {
    const template = { pacs: { linkTemplate: 'https://pacs.example/v?s={studyInstanceUid}' } }
    const without = await start(template)
    expect(await call(without, 'openImageViewer', 'demo', 'A1')).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    })
    const app = await start(template, {
      core: { openExternal: async () => undefined, viewerConsent: { require: async () => undefined } },
    })
    const domain = app.services.client!.domains[0]!
    expect(await call(app, 'openImageViewer', domain, 'NO-SUCH-APPOINTMENT')).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })

  it('opens a new viewer origin only after the person allowed it outside the page, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qubs-viewer-'))
    const asked: string[] = []
    let answer = false
    const consent = new ViewerConsent({
      filePath: join(dir, 'viewer-origins.json'),
      preApproved: [],
      ask: async (origin) => {
        asked.push(origin)
        return answer
      },
      logger: silentLogger,
    })
    const opened: string[] = []
    // The page changed the template to another server: the patient id would go there.
    const app = await start(
      { pacs: { linkTemplate: 'https://elsewhere.example/c?p={patientId}' } },
      { core: { openExternal: async (url) => void opened.push(url), viewerConsent: consent } },
    )
    const [first] = await app.services.client!.walkPending()
    expect(await call(app, 'openImageViewer', first!.domain, first!.appointmentId)).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    })
    expect(opened).toEqual([])
    answer = true
    await value(app, 'openImageViewer', first!.domain, first!.appointmentId)
    await value(app, 'openImageViewer', first!.domain, first!.appointmentId)
    expect(asked).toEqual(['https://elsewhere.example', 'https://elsewhere.example'])
    expect(opened).toHaveLength(2)
    // Remembered in main's own file, not in the settings the page writes.
    const again = new ViewerConsent({
      filePath: join(dir, 'viewer-origins.json'),
      preApproved: [],
      ask: async () => false,
      logger: silentLogger,
    })
    await expect(again.require('https://elsewhere.example')).resolves.toBeUndefined()
    await expect(again.require('https://third.example')).rejects.toMatchObject({ code: 'refused' })
    rmSync(dir, { recursive: true, force: true })
  })

  it("takes the deployment's allowed origins from QUBS_VIEWER_ORIGINS, exact origins only", () => {
    expect(
      viewerOriginsFromEnv(' https://pacs.example , https://x.example/path,nonsense,http://127.0.0.1:8042/'),
    ).toEqual(['https://pacs.example', 'http://127.0.0.1:8042'])
    expect(viewerOriginsFromEnv(undefined)).toEqual([])
  })
})
