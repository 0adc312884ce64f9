import { EventEmitter } from 'node:events'
import type { Session, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { hardenSession, hardenWebContents } from '../../../src-main/electron/security'

/**
 * The session and web-contents hardening against stand-ins for Electron's objects: the handlers are
 * plain functions, so what they allow and refuse can be checked under Node.
 */
type Handler = (...args: never[]) => unknown

function fakeSession() {
  const handlers: Record<string, Handler | null> = {}
  const record = (name: string) => (handler: Handler | null) => {
    handlers[name] = handler
  }
  const emitter = new EventEmitter()
  const session = Object.assign(emitter, {
    webRequest: { onHeadersReceived: record('headers') },
    setPermissionRequestHandler: record('permissionRequest'),
    setPermissionCheckHandler: record('permissionCheck'),
    setDevicePermissionHandler: record('devicePermission'),
    setDisplayMediaRequestHandler: record('displayMedia'),
  })
  return { session: session as unknown as Session & EventEmitter, handlers }
}

function download(session: EventEmitter, url: string): boolean {
  let prevented = false
  session.emit('will-download', { preventDefault: () => (prevented = true) }, { getURL: () => url })
  return !prevented
}

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']

describe('Electron session hardening', () => {
  it('refuses every permission request, logging which one (never the page URL)', () => {
    const logs = memorySink()
    const { session, handlers } = fakeSession()
    hardenSession(session, createLogger('security', { sink: logs }))
    const request = handlers['permissionRequest'] as unknown as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl: string },
    ) => void
    for (const permission of PERMISSIONS) {
      let granted: boolean | undefined
      request({}, permission, (value) => (granted = value), { requestingUrl: 'app://reporter/?patient=1' })
      expect(granted, permission).toBe(false)
    }
    expect(logs.records.map((r) => r.fields['reason'])).toEqual(PERMISSIONS)
    expect(JSON.stringify(logs.records)).not.toContain('patient=1')
  })

  it('answers every permission check and device permission with no', () => {
    const { session, handlers } = fakeSession()
    hardenSession(session, createLogger('security', { sink: memorySink() }))
    const check = handlers['permissionCheck'] as unknown as (contents: unknown, permission: string) => boolean
    const device = handlers['devicePermission'] as unknown as (details: { deviceType: string }) => boolean
    for (const permission of PERMISSIONS) expect(check({}, permission), permission).toBe(false)
    for (const deviceType of ['hid', 'serial', 'usb']) expect(device({ deviceType }), deviceType).toBe(false)
  })

  it('refuses screen capture requests (getDisplayMedia) with no stream', () => {
    const logs = memorySink()
    const { session, handlers } = fakeSession()
    hardenSession(session, createLogger('security', { sink: logs }))
    const displayMedia = handlers['displayMedia'] as unknown as (
      request: unknown,
      callback: (streams: Record<string, unknown>) => void,
    ) => void
    let answer: Record<string, unknown> | undefined
    displayMedia({}, (streams) => (answer = streams))
    expect(answer).toEqual({})
    expect(logs.records.map((r) => r.message)).toEqual(['screen capture refused'])
  })

  it('lets the page save only the files it made itself (blob: URLs), and says why it refused', () => {
    const logs = memorySink()
    const { session } = fakeSession()
    hardenSession(session, createLogger('security', { sink: logs }))
    expect(download(session, 'blob:app://reporter/3f0e6d1c-0c1a-4a7e-9a51-2f1d3c4b5a69')).toBe(true)
    expect(download(session, 'https://storage.example/attachments/referral.pdf?sig=x')).toBe(false)
    expect(download(session, 'file:///etc/passwd')).toBe(false)
    expect(logs.records.map((r) => r.message)).toEqual(['download refused', 'download refused'])
  })
})

function fakeContents() {
  let windowOpen: ((details: { url: string }) => { action: string }) | undefined
  const contents = Object.assign(new EventEmitter(), {
    setWindowOpenHandler: (handler: typeof windowOpen) => (windowOpen = handler),
  })
  const logs = memorySink()
  hardenWebContents(
    contents as unknown as WebContents,
    (url) => url.startsWith('app://reporter/'),
    createLogger('security', { sink: logs }),
  )
  const allowed = (event: string, extra: Record<string, unknown> = {}, ...args: unknown[]) => {
    let prevented = false
    contents.emit(event, { ...extra, preventDefault: () => (prevented = true) }, ...args)
    return !prevented
  }
  return { contents, logs, allowed, windowOpen: (url: string) => windowOpen!({ url }) }
}

describe('Electron web-contents hardening', () => {
  it('refuses navigation away from the app and logs the reason, not the target', () => {
    const { allowed, logs } = fakeContents()
    expect(allowed('will-navigate', {}, 'app://reporter/index.html')).toBe(true)
    expect(allowed('will-navigate', {}, 'https://example.com/?patient=Jane')).toBe(false)
    expect(allowed('will-navigate', {}, 'file:///etc/passwd')).toBe(false)
    expect(allowed('will-navigate', {}, 'javascript:alert(1)')).toBe(false)
    expect(logs.records.map((r) => r.message)).toEqual([
      'navigation refused',
      'navigation refused',
      'navigation refused',
    ])
    expect(JSON.stringify(logs.records)).not.toContain('Jane')
  })

  it('refuses every new window, whatever the URL, ours included', () => {
    const { windowOpen } = fakeContents()
    expect(windowOpen('https://example.com/')).toEqual({ action: 'deny' })
    expect(windowOpen('app://reporter/index.html')).toEqual({ action: 'deny' })
  })

  it('refuses every webview', () => {
    const { allowed } = fakeContents()
    expect(allowed('will-attach-webview', {}, { nodeIntegration: false }, { src: 'app://reporter/' })).toBe(
      false,
    )
  })

  it('refuses sub-frames that do not show our own content, blob: included', () => {
    const { allowed } = fakeContents()
    const frame = (url: string) => allowed('will-frame-navigate', { isMainFrame: false, url })
    expect(frame('app://reporter/index.html')).toBe(true)
    expect(frame('blob:app://reporter/3f0e6d1c')).toBe(false)
    expect(frame('https://example.com/')).toBe(false)
  })
})
