import { EventEmitter } from 'node:events'
import type { Session, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { hardenSession, hardenWebContents } from '../../../src-main/electron/security'

/**
 * The session and web-contents hardening against stand-ins for Electron's objects: the handlers are
 * plain functions, so what they allow and refuse can be checked under Node.
 */
function fakeSession() {
  const emitter = new EventEmitter()
  const session = Object.assign(emitter, {
    webRequest: { onHeadersReceived: () => undefined },
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
  })
  return session as unknown as Session & EventEmitter
}

function download(session: EventEmitter, url: string): boolean {
  let prevented = false
  session.emit('will-download', { preventDefault: () => (prevented = true) }, { getURL: () => url })
  return !prevented
}

describe('Electron session hardening', () => {
  it('lets the page save only the files it made itself (blob: URLs), and says why it refused', () => {
    const logs = memorySink()
    const session = fakeSession()
    hardenSession(session, createLogger('security', { sink: logs }))
    expect(download(session, 'blob:file:///3f0e6d1c-0c1a-4a7e-9a51-2f1d3c4b5a69')).toBe(true)
    expect(download(session, 'https://storage.example/attachments/referral.pdf?sig=x')).toBe(false)
    expect(download(session, 'file:///etc/passwd')).toBe(false)
    expect(logs.records.map((r) => r.message)).toEqual(['download refused', 'download refused'])
  })
})

describe('Electron web-contents hardening', () => {
  it('refuses sub-frames that do not show our own content, blob: included', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => undefined })
    hardenWebContents(
      contents as unknown as WebContents,
      (url) => url.startsWith('file:///app/'),
      createLogger('security', { sink: memorySink() }),
    )
    const frame = (url: string) => {
      let prevented = false
      contents.emit('will-frame-navigate', {
        isMainFrame: false,
        url,
        preventDefault: () => (prevented = true),
      })
      return !prevented
    }
    expect(frame('file:///app/index.html')).toBe(true)
    expect(frame('blob:file:///3f0e6d1c')).toBe(false)
    expect(frame('https://example.com/')).toBe(false)
  })
})
