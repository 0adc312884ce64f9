import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/csp'
import { createTrustedUrlCheck } from '../../../src-main/electron/trusted-url'

/** What `new BrowserWindow(...)` was given, and what the window was told to load. */
const created: { options: unknown; loaded: string[] }[] = []

vi.mock('electron', () => ({
  BrowserWindow: class {
    readonly loaded: string[] = []
    constructor(options: unknown) {
      created.push({ options, loaded: this.loaded })
    }
    once(): void {}
    loadURL(url: string): Promise<void> {
      this.loaded.push(url)
      return Promise.resolve()
    }
    loadFile(path: string): Promise<void> {
      this.loaded.push(`loadFile:${path}`)
      return Promise.resolve()
    }
  },
}))

const { createMainWindow } = await import('../../../src-main/electron/window')

describe('the main window (Electron security checklist)', () => {
  beforeEach(() => {
    created.length = 0
  })

  it('runs the page sandboxed and isolated, no Node anywhere, no webviews, no experimental or auxclick features', () => {
    createMainWindow({
      preloadPath: '/app/out/preload/index.cjs',
      devServerUrl: undefined,
      logger: silentLogger,
    })
    expect(created).toHaveLength(1)
    expect((created[0]!.options as { webPreferences: unknown }).webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
    })
  })

  it('loads the app from app://reporter/, never file://, and the dev server only when given one', () => {
    createMainWindow({ preloadPath: '/p.cjs', devServerUrl: undefined, logger: silentLogger })
    createMainWindow({ preloadPath: '/p.cjs', devServerUrl: 'http://localhost:5173/', logger: silentLogger })
    expect(created.map((c) => c.loaded)).toEqual([['app://reporter/index.html'], ['http://localhost:5173/']])
  })

  it('writes the web preferences literally at new BrowserWindow, where electronegativity can see them', () => {
    const source = readFileSync(resolve(import.meta.dirname, '../../../src-main/electron/window.ts'), 'utf8')
    const literal = /new BrowserWindow\(\{[\s\S]*?webPreferences: \{([\s\S]*?)\}/.exec(source)?.[1] ?? ''
    for (const setting of [
      'sandbox: true',
      'contextIsolation: true',
      'nodeIntegration: false',
      'webSecurity: true',
    ]) {
      expect(literal).toContain(setting)
    }
  })
})

describe('Electron security settings', () => {
  it('sends a CSP that allows only our own scripts and no remote connections', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'")
  })

  it('puts the same policy in the page itself (the dev server serves it without our header)', () => {
    const html = readFileSync(resolve(import.meta.dirname, '../../../src-renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    // frame-ancestors is ignored in a meta tag, so only the header carries it.
    const expected = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors'))
    expect(meta?.split('; ')).toEqual(expected)
  })

  it('trusts only app://reporter/ and, when not packaged, the dev server origin', () => {
    const dev = createTrustedUrlCheck({ devServerUrl: 'http://localhost:5173/', isPackaged: false })
    expect(dev('app://reporter/index.html')).toBe(true)
    expect(dev('app://reporter/')).toBe(true)
    expect(dev('http://localhost:5173/index.html')).toBe(true)
    expect(dev('app://reporter.evil/index.html')).toBe(false)
    expect(dev('app://other/index.html')).toBe(false)
    expect(dev('file:///app/out/renderer/index.html')).toBe(false)
    expect(dev('https://example.invalid/')).toBe(false)
    expect(dev('not a url')).toBe(false)
    const packaged = createTrustedUrlCheck({ devServerUrl: 'http://localhost:5173/', isPackaged: true })
    expect(packaged('http://localhost:5173/')).toBe(false)
    expect(packaged('app://reporter/index.html')).toBe(true)
  })
})
