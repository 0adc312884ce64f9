import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { desktopCoreEachTest } from './desktop-fixture'
import { call, value } from './support'

const CANARY_REPORT = 'CANARY-REPORT-7f3a'
const CANARY_COMMENT = 'CANARY-COMMENT-91bc'
const CANARY_TEMPLATE = 'CANARY-TEMPLATE-55de'

describe('support information and diagnostics', () => {
  const start = desktopCoreEachTest()

  it('gives versions, mode, connection, outbox counts and the last errors with their ids, and no PHI', async () => {
    const app = await start(
      {
        editor: {
          templates: [
            { id: 't1', name: 'Chest', modalities: [], descriptionKeywords: [], text: CANARY_TEMPLATE },
          ],
        },
      },
      {
        core: {
          logFile: '/var/log/qubs/main.log',
          connection: {
            tokenUrl: 'https://auth.example/t',
            apiBaseUrl: 'https://api.example',
            clientId: 'cid',
            domains: ['acme'],
          },
        },
      },
    )
    const client = app.services.client!
    const domain = client.domains[0]!
    const pending = await client.walkPending()
    const held = await app.services.outbox.enqueueReport(domain, 'NO-SUCH-APPOINTMENT', {
      reportText: CANARY_REPORT,
      reportStatus: 'final',
    })
    await app.services.outbox.enqueueComment(domain, pending[0]!.appointmentId, {
      commentText: CANARY_COMMENT,
      isAlert: false,
    })
    await app.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
    const failedRead = await call(app, 'getAppointment', domain, 'ANOTHER-MISSING-ONE')
    expect(failedRead.ok).toBe(false)

    const { text } = await value<{ text: string }>(app, 'getSupportInfo')
    const heldError = app.services.outbox.get(held.id)!.lastError!
    expect(text).toContain('QUBS Reporter 0.0.0-test (connected to QUBS)')
    expect(text).toContain(`Node ${process.versions.node}`)
    expect(text).toContain('client id cid; domains acme')
    expect(text).toMatch(/Connectivity: online/)
    expect(text).toMatch(/Outbox: queued 0, sending 0, held 1, delivered 1/)
    expect(text).toContain(`requestId ${heldError.requestId!}`)
    expect(text).toContain(`correlationId ${heldError.correlationId!}`)
    expect(text).toMatch(/request http status 404 requestId \S+ correlationId \S+/)
    expect(text).toContain('Log file: /var/log/qubs/main.log')
    const canaries = [CANARY_REPORT, CANARY_COMMENT, CANARY_TEMPLATE, app.sandbox.current.clientSecret]
    for (const appointment of pending.slice(0, 10)) {
      canaries.push(
        ...[appointment.patientName, appointment.dateOfBirth, appointment.clinicalInfo].filter(
          (v): v is string => !!v,
        ),
      )
    }
    for (const canary of canaries) expect(text).not.toContain(canary)

    const { path } = await value<{ path: string }>(app, 'exportDiagnostics')
    expect(path.startsWith(join(app.dataDir, 'exports'))).toBe(true)
    const exported = readFileSync(path, 'utf8')
    const parsed = JSON.parse(exported) as {
      outbox: { held: number }
      settings: { editor: { templates: unknown } }
    }
    expect(parsed.outbox.held).toBe(1)
    expect(parsed.settings.editor.templates).toEqual({ count: 1 })
    for (const canary of canaries) expect(exported).not.toContain(canary)
  })

  it('says plainly when it runs on the demo sandbox and without a data directory', async () => {
    const app = await start({}, { core: { mode: 'demo' } })
    const { text } = await value<{ text: string }>(app, 'getSupportInfo')
    expect(text).toContain('(DEMO, built-in sandbox)')
    expect(text).toContain('Connection: none configured')
    expect(text).toContain('Last errors: none')
  })
})
