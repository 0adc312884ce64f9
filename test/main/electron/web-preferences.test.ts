import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/csp'
import { mainWindowWebPreferences } from '../../../src-main/electron/web-preferences'
import { createTrustedUrlCheck } from '../../../src-main/electron/trusted-url'

describe('Electron security settings', () => {
  it('runs the page sandboxed and isolated with no Node integration anywhere', () => {
    expect(mainWindowWebPreferences('/app/out/preload/index.cjs')).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    })
  })

  it('sends a CSP that allows only our own scripts and no remote connections', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
  })

  it('puts the same policy in the page itself (file:// pages may not get the header)', () => {
    const html = readFileSync(resolve(import.meta.dirname, '../../../src-renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    // frame-ancestors is ignored in a meta tag, so only the header carries it.
    const expected = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors'))
    expect(meta?.split('; ')).toEqual(expected)
  })

  it('trusts only our renderer files and the dev server origin', () => {
    const trusted = createTrustedUrlCheck('/app/out/renderer', 'http://localhost:5173/')
    expect(trusted('file:///app/out/renderer/index.html')).toBe(true)
    expect(trusted('http://localhost:5173/index.html')).toBe(true)
    expect(trusted('file:///app/out/renderer-evil/index.html')).toBe(false)
    expect(trusted('file:///etc/passwd')).toBe(false)
    expect(trusted('https://example.invalid/')).toBe(false)
    expect(trusted('not a url')).toBe(false)
    expect(createTrustedUrlCheck('/app/out/renderer', undefined)('http://localhost:5173/')).toBe(false)
  })
})
