import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findElectronBinary } from '../support/electron'

/**
 * The Electron security checklist items only a real window can show (docs/SECURITY.md): the page's
 * origin, the CSP as Chromium enforces it on app:// responses, permissions and capture refused in the
 * page, the web preferences Electron actually applied. Runs wherever the binary is installed;
 * elsewhere each test is reported as skipped with the reason in its name (never counted as a pass).
 */
const electron = findElectronBinary()
const reason = electron.available ? '' : ` [not run: ${electron.reason}]`
const root = resolve(import.meta.dirname, '../..')
if (!electron.available) console.warn(`Electron security e2e tests not run here: ${electron.reason}`)

type PageGlobals = Record<string, unknown> & {
  fetch(url: string): Promise<{ status: number }>
  navigator: {
    mediaDevices: { getUserMedia(c: object): Promise<unknown>; getDisplayMedia(c: object): Promise<unknown> }
    permissions: { query(d: { name: string }): Promise<{ state: string }> }
  }
  Notification: { permission: string }
  Worker: new (url: string) => { onerror: ((e: unknown) => void) | null; terminate(): void }
  Blob: new (parts: string[], options: object) => object
  URL: { createObjectURL(blob: object): string }
  document: { createElement(tag: string): Record<string, unknown>; body: { appendChild(e: object): void } }
  customElements: { get(name: string): unknown }
}

describe.skipIf(!electron.available)(`Electron security in the real window${reason}`, () => {
  let app: ElectronApplication
  let window: Page
  let dataDir: string

  beforeAll(async () => {
    if (!electron.available) return
    dataDir = mkdtempSync(join(tmpdir(), 'qubs-electron-security-'))
    app = await _electron.launch({
      executablePath: electron.path,
      args: [join(root, 'out/main/index.js')],
      env: { ...process.env, QUBS_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '0' },
    })
    window = await app.firstWindow()
    await window.waitForLoadState('domcontentloaded')
  })

  afterAll(async () => {
    await app?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('shows the app from app://reporter/, not file://', () => {
    expect(window.url()).toBe('app://reporter/index.html')
  })

  it('keeps Node out of the page and the bridge out of reach of page scripts (context isolation)', async () => {
    const page = await window.evaluate(() => {
      const globals = globalThis as unknown as Record<string, unknown> & { qubs: Record<string, unknown> }
      try {
        globals.qubs['getAppInfo'] = () => 'tampered'
      } catch {
        // A frozen bridge may throw in strict code: refused either way.
      }
      const replaced = String(globals.qubs['getAppInfo']).includes('tampered')
      return { require: typeof globals['require'], process: typeof globals['process'], replaced }
    })
    expect(page).toEqual({ require: 'undefined', process: 'undefined', replaced: false })
  })

  it('enforces the CSP on app:// responses: no eval, no inline script, no remote or blob: code', async () => {
    const outcome = await window.evaluate(async () => {
      const page = globalThis as unknown as PageGlobals
      const tryIt = async (run: () => unknown) => {
        try {
          await run()
          return 'allowed'
        } catch {
          return 'refused'
        }
      }
      const script = page.document.createElement('script')
      script['textContent'] = 'globalThis.__inline = 1'
      page.document.body.appendChild(script)
      const blobWorker = await new Promise<string>((done) => {
        try {
          const url = page.URL.createObjectURL(new page.Blob(['postMessage(1)'], { type: 'text/javascript' }))
          const worker = new page.Worker(url)
          worker.onerror = () => done('refused')
          setTimeout(() => done('allowed'), 1_000)
        } catch {
          done('refused')
        }
      })
      return {
        eval: await tryIt(() => (0, eval)('1 + 1')),
        inline: page['__inline'] === 1 ? 'allowed' : 'refused',
        remoteFetch: await tryIt(() => page.fetch('https://example.com/')),
        fileFetch: await tryIt(() => page.fetch('file:///etc/passwd')),
        blobWorker,
      }
    })
    expect(outcome).toEqual({
      eval: 'refused',
      inline: 'refused',
      remoteFetch: 'refused',
      fileFetch: 'refused',
      blobWorker: 'refused',
    })
  })

  it('serves only the renderer directory through app://', async () => {
    const statuses = await window.evaluate(async () => {
      const page = globalThis as unknown as PageGlobals
      const status = async (url: string) => (await page.fetch(url)).status
      return {
        index: await status('app://reporter/index.html'),
        encodedTraversal: await status('app://reporter/assets/..%2F..%2F..%2Fmain%2Findex.js'),
        missing: await status('app://reporter/no-such-file.js'),
      }
    })
    expect(statuses).toEqual({ index: 200, encodedTraversal: 403, missing: 404 })
  })

  it('refuses camera, microphone, screen capture and notifications in the page', async () => {
    const outcome = await window.evaluate(async () => {
      const page = globalThis as unknown as PageGlobals
      const settle = (promise: Promise<unknown>) =>
        promise.then(
          () => 'granted',
          () => 'refused',
        )
      return {
        camera: await settle(page.navigator.mediaDevices.getUserMedia({ video: true })),
        microphone: await settle(page.navigator.mediaDevices.getUserMedia({ audio: true })),
        screen: await settle(page.navigator.mediaDevices.getDisplayMedia({ video: true })),
        geolocation: (await page.navigator.permissions.query({ name: 'geolocation' })).state,
        notifications: page.Notification.permission,
      }
    })
    expect(outcome).toEqual({
      camera: 'refused',
      microphone: 'refused',
      screen: 'refused',
      geolocation: 'denied',
      notifications: 'denied',
    })
  })

  it('has no <webview> element and opens no window from the page', async () => {
    const webview = await window.evaluate(() => {
      const page = globalThis as unknown as PageGlobals
      return page.customElements.get('webview') === undefined
    })
    expect(webview).toBe(true)
    await window.evaluate(() =>
      (globalThis as unknown as { open(url: string): unknown }).open('app://reporter/'),
    )
    await new Promise((wait) => setTimeout(wait, 300))
    expect(app.windows()).toHaveLength(1)
  })

  it('turns content protection on and off with the setting', async () => {
    const protectedNow = () =>
      app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isContentProtected())
    await window.evaluate(async () => {
      const qubs = (globalThis as unknown as { qubs: { updateSettings(p: object): Promise<unknown> } }).qubs
      await qubs.updateSettings({ privacy: { contentProtection: true } })
    })
    await expect.poll(protectedNow).toBe(true)
    await window.evaluate(async () => {
      const qubs = (globalThis as unknown as { qubs: { updateSettings(p: object): Promise<unknown> } }).qubs
      await qubs.updateSettings({ privacy: { contentProtection: false } })
    })
    await expect.poll(protectedNow).toBe(false)
  })
})
