import { describe, expect, it } from 'vitest'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { checkExternalUrl, openExternalAllowed } from '../../../src-main/electron/open-external'

const PACS = ['https://pacs.hospital.example']

function opener() {
  const opened: string[] = []
  const logs = memorySink()
  return {
    opened,
    logs,
    io: {
      openExternal: async (url: string) => {
        opened.push(url)
      },
      logger: createLogger('open-external', { sink: logs }),
    },
  }
}

describe('shell.openExternal through an allow-list', () => {
  it('opens an https URL on an allowed origin, exactly as given', async () => {
    const { opened, io } = opener()
    const url = 'https://pacs.hospital.example/viewer?study=1.2.840.1&patient=MRN123'
    await expect(openExternalAllowed(url, PACS, io)).resolves.toEqual({ opened: true })
    expect(opened).toEqual([url])
  })

  it.each([
    ['plain http to a remote host', 'http://pacs.hospital.example/viewer', 'only https'],
    ['another origin', 'https://evil.example/viewer', 'origin is not on the allow-list'],
    ['a look-alike host', 'https://pacs.hospital.example.evil.example/', 'origin is not on the allow-list'],
    ['another port', 'https://pacs.hospital.example:8443/', 'origin is not on the allow-list'],
    ['credentials in the URL', 'https://user:pw@pacs.hospital.example/', 'credentials'],
    ['a file URL', 'file:///etc/passwd', 'only https'],
    ['a javascript URL', 'javascript:alert(1)', 'only https'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic', 'only https'],
    ['not a URL', 'pacs viewer', 'not a URL'],
    ['a URL over 2000 characters', `https://pacs.hospital.example/?q=${'x'.repeat(2000)}`, 'longer than'],
  ])('refuses %s, logs why and never the query', async (_name, url, reason) => {
    const { opened, io, logs } = opener()
    const outcome = await openExternalAllowed(url, PACS, io)
    expect(outcome).toMatchObject({ opened: false, reason: expect.stringContaining(reason) })
    expect(opened).toEqual([])
    expect(logs.records).toHaveLength(1)
    expect(logs.records[0]).toMatchObject({ level: 'warn', message: 'external link refused' })
    expect(JSON.stringify(logs.records)).not.toMatch(/xxxx|pw@|alert|PCWDiagnostic/)
  })

  it('allows http only to a loopback origin that is itself on the allow-list', () => {
    expect(checkExternalUrl('http://127.0.0.1:8042/viewer', ['http://127.0.0.1:8042'])).toMatchObject({
      ok: true,
    })
    expect(checkExternalUrl('http://localhost:8042/viewer', ['http://localhost:8042'])).toMatchObject({
      ok: true,
    })
    expect(checkExternalUrl('http://[::1]:8042/', ['http://[::1]:8042'])).toMatchObject({ ok: true })
    expect(checkExternalUrl('http://127.0.0.1:8042/viewer', PACS)).toMatchObject({ ok: false })
    expect(checkExternalUrl('http://10.0.0.5/viewer', ['http://10.0.0.5'])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('only https'),
    })
  })

  it('ignores allow-list entries that are not plain origins, so a typo cannot allow everything', () => {
    expect(
      checkExternalUrl('https://pacs.hospital.example/x', ['https://pacs.hospital.example/viewer']),
    ).toMatchObject({
      ok: false,
    })
    expect(checkExternalUrl('https://pacs.hospital.example/x', ['*'])).toMatchObject({ ok: false })
    expect(checkExternalUrl('https://pacs.hospital.example/x', [])).toMatchObject({ ok: false })
  })

  it('reports a failure of the OS to open the link without the URL', async () => {
    const logs = memorySink()
    const outcome = await openExternalAllowed('https://pacs.hospital.example/?patient=MRN123', PACS, {
      openExternal: () =>
        Promise.reject(new Error('no handler for https://pacs.hospital.example/?patient=MRN123')),
      logger: createLogger('open-external', { sink: logs }),
    })
    expect(outcome).toEqual({ opened: false, reason: 'the operating system could not open the link' })
    expect(JSON.stringify(logs.records)).not.toContain('MRN123')
  })
})
