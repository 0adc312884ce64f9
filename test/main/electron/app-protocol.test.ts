import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import {
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  createAppRequestHandler,
  resolveAppRequest,
} from '../../../src-main/electron/app-protocol'
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/csp'

const ROOT = '/app/out/renderer'

describe('app:// request resolution (pure)', () => {
  it('maps the fixed host to files under the renderer directory, index.html for the root', () => {
    expect(resolveAppRequest(ROOT, 'app://reporter/')).toEqual({
      ok: true,
      path: '/app/out/renderer/index.html',
      mimeType: 'text/html; charset=utf-8',
    })
    expect(resolveAppRequest(ROOT, 'app://reporter/assets/index-abc.js?v=1#x')).toEqual({
      ok: true,
      path: '/app/out/renderer/assets/index-abc.js',
      mimeType: 'text/javascript; charset=utf-8',
    })
    expect(resolveAppRequest(ROOT, 'app://reporter/assets/pdf.worker.min-1.mjs')).toMatchObject({
      mimeType: 'text/javascript; charset=utf-8',
    })
    expect(resolveAppRequest(ROOT, 'app://reporter/assets/a.css')).toMatchObject({
      mimeType: 'text/css; charset=utf-8',
    })
    expect(resolveAppRequest(ROOT, 'app://reporter/assets/a.woff2')).toMatchObject({ mimeType: 'font/woff2' })
    expect(resolveAppRequest(ROOT, 'app://reporter/assets/a.svg')).toMatchObject({
      mimeType: 'image/svg+xml',
    })
    expect(resolveAppRequest(ROOT, 'app://reporter/assets/a.unknownext')).toMatchObject({
      mimeType: 'application/octet-stream',
    })
  })

  it.each([
    ['a dot-dot segment', 'app://reporter/../../etc/passwd'],
    ['an encoded dot-dot', 'app://reporter/%2e%2e/%2e%2e/etc/passwd'],
  ])('collapses %s at the root, as the URL standard does, never above it', (_name, url) => {
    expect(resolveAppRequest(ROOT, url)).toMatchObject({ ok: true, path: '/app/out/renderer/etc/passwd' })
  })

  it.each([
    ['an encoded slash with dot-dot', 'app://reporter/assets/..%2F..%2F..%2Fetc%2Fpasswd'],
    ['an encoded backslash', 'app://reporter/assets/..%5C..%5Cetc%5Cpasswd'],
    ['an absolute path smuggled in', 'app://reporter/%2Fetc%2Fpasswd'],
    ['a NUL byte', 'app://reporter/index.html%00.js'],
    ['malformed percent-encoding', 'app://reporter/%E0%A4%A'],
  ])('refuses %s with 403', (_name, url) => {
    expect(resolveAppRequest(ROOT, url)).toMatchObject({ ok: false, status: 403 })
  })

  it.each([
    ['another host', 'app://evil/index.html'],
    ['another scheme', 'file:///app/out/renderer/index.html'],
    ['credentials', 'app://user:pw@reporter/index.html'],
    ['a port', 'app://reporter:8080/index.html'],
    ['not a URL', 'not a url'],
  ])('refuses %s with 404', (_name, url) => {
    expect(resolveAppRequest(ROOT, url)).toMatchObject({ ok: false, status: 404 })
  })

  it('registers the scheme as standard, secure, fetchable and code-cached, never bypassing the CSP', () => {
    expect(APP_ORIGIN).toBe('app://reporter')
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    })
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP')
  })
})

describe('app:// request handler (real files)', () => {
  let base: string
  let root: string
  const logs = memorySink()
  let handle: (request: Request) => Promise<Response>

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'qubs-app-protocol-'))
    root = join(base, 'renderer')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>')
    writeFileSync(join(root, 'assets', 'main.js'), 'console.log(1)')
    writeFileSync(join(base, 'secret.txt'), 'outside the renderer')
    symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'escape.js'))
    symlinkSync(base, join(root, 'up'))
    handle = createAppRequestHandler({
      rendererDir: root,
      logger: createLogger('app-protocol', { sink: logs }),
    })
  })
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('serves our files with their MIME type and the CSP header', async () => {
    const response = await handle(new Request('app://reporter/assets/main.js'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toBe('console.log(1)')
    const index = await handle(new Request('app://reporter/'))
    expect(await index.text()).toContain('<!doctype html>')
  })

  it('answers 404 for a missing file and 403 for a symlink out of the renderer dir, CSP on both', async () => {
    const missing = await handle(new Request('app://reporter/assets/nope.js'))
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    const escape = await handle(new Request('app://reporter/assets/escape.js'))
    expect(escape.status).toBe(403)
    expect(await escape.text()).not.toContain('outside the renderer')
    const viaDir = await handle(new Request('app://reporter/up/secret.txt'))
    expect(viaDir.status).toBe(403)
    expect(escape.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  })

  it('refuses directories, hostile paths and non-GET methods, and logs the reason without the path', async () => {
    expect((await handle(new Request('app://reporter/assets/'))).status).toBe(404)
    expect((await handle(new Request('app://reporter/assets/..%2F..%2Fsecret.txt'))).status).toBe(403)
    expect(
      (await handle(new Request('app://reporter/index.html', { method: 'POST', body: 'x' }))).status,
    ).toBe(405)
    const logged = JSON.stringify(logs.records)
    expect(logged).toContain('app request refused')
    expect(logged).not.toContain('secret.txt')
  })
})
