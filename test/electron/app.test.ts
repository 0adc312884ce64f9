import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findElectronBinary } from '../support/electron'

/**
 * The real app in the real Electron binary. Runs wherever the binary is installed; elsewhere each test
 * is reported as skipped with the reason in its name (a skip is never counted as a pass).
 */
const electron = findElectronBinary()
const reason = electron.available ? '' : ` [not run: ${electron.reason}]`
const root = resolve(import.meta.dirname, '../..')
if (!electron.available) console.warn(`Electron e2e tests not run here: ${electron.reason}`)

describe.skipIf(!electron.available)(`QUBS Reporter in Electron${reason}`, () => {
  let app: ElectronApplication
  let window: Page
  let dataDir: string

  beforeAll(async () => {
    if (!electron.available) return
    dataDir = mkdtempSync(join(tmpdir(), 'qubs-electron-'))
    app = await _electron.launch({
      executablePath: electron.path,
      args: [join(root, 'out/main/index.js')],
      env: { ...process.env, QUBS_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '0' },
    })
    window = await app.firstWindow()
  })

  afterAll(async () => {
    await app?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('opens the main window on the first-run choice, and the demo is marked DEMO', async () => {
    await window.getByRole('button', { name: /Try the demo/ }).click()
    await expect.poll(() => window.getByTestId('app-mode').textContent()).toBe('DEMO')
  })

  it('keeps Node and Electron out of the page, with only window.qubs exposed', async () => {
    const page = await window.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>)['require'],
      process: typeof (globalThis as Record<string, unknown>)['process'],
      qubs: Object.keys((globalThis as unknown as { qubs: object }).qubs).sort(),
    }))
    expect(page).toEqual({
      require: 'undefined',
      process: 'undefined',
      qubs: ['getAppInfo', 'getConnectivity', 'on'],
    })
  })

  it('refuses navigation away from the app and new windows', async () => {
    const before = window.url()
    await window.evaluate(() => {
      const page = globalThis as unknown as { open(url: string): unknown; location: { href: string } }
      page.open('https://example.invalid/')
      page.location.href = 'https://example.invalid/'
    })
    await new Promise((resolveWait) => setTimeout(resolveWait, 500))
    expect(app.windows()).toHaveLength(1)
    expect(window.url()).toBe(before)
  })

  it('spell checks offline: shipped dictionaries in the session folder, shipped languages, dictation support on', async () => {
    const state = await app.evaluate(({ app: electronApp, session }) => ({
      sessionData: electronApp.getPath('sessionData'),
      languages: session.defaultSession.getSpellCheckerLanguages(),
      accessibility: electronApp.isAccessibilitySupportEnabled(),
    }))
    // macOS uses the system's checker: nothing is copied and the language list is the OS's.
    if (process.platform !== 'darwin') {
      expect(readdirSync(join(state.sessionData, 'Dictionaries'))).toEqual(
        expect.arrayContaining(['en-US-10-1.bdic', 'en-GB-10-1.bdic', 'en-AU-10-1.bdic']),
      )
      expect(state.languages).toEqual(['en-US'])
    }
    expect(state.accessibility).toBe(true)
  })
})
