import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope } from '../../src-preload/contract'
import { findElectronBinary } from '../support/electron'

/**
 * The desktop app as a person meets it, in the real Electron binary: first run on the demo sandbox,
 * settings kept across a restart, a submission delivered, and a second launch handing over to the
 * first. Each run has its own profile (QUBS_USER_DATA_DIR) so nothing touches a real one. Drives
 * `window.qubs` (the contract) rather than screens, so it holds whatever the screens look like. Runs
 * wherever the binary is installed; elsewhere each test is reported as skipped with the reason.
 */
const electron = findElectronBinary()
const reason = electron.available ? '' : ` [not run: ${electron.reason}]`
const root = resolve(import.meta.dirname, '../..')
const mainScript = join(root, 'out/main/index.js')

type Qubs = Record<string, (...args: unknown[]) => Promise<unknown>>

describe.skipIf(!electron.available)(`QUBS Reporter desktop flows${reason}`, () => {
  let profile: string
  let app: ElectronApplication | undefined
  let window: Page

  const env = () => ({ ...process.env, QUBS_USER_DATA_DIR: profile, ELECTRON_ENABLE_LOGGING: '0' })

  async function launch(): Promise<void> {
    if (!electron.available) return
    app = await _electron.launch({ executablePath: electron.path, args: [mainScript], env: env() })
    window = await app.firstWindow()
    await window.waitForFunction(() => 'qubs' in globalThis)
  }

  async function qubs<T>(name: string, ...args: unknown[]): Promise<T> {
    // window.qubs answers with envelopes (never throws across the context bridge): unwrap here.
    const envelope = (await window.evaluate(
      ([method, rest]) => (globalThis as unknown as { qubs: Qubs }).qubs[method]!(...rest),
      [name, args] as [string, unknown[]],
    )) as Envelope
    if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code} ${envelope.error.message}`)
    return envelope.value as T
  }

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'qubs-desktop-'))
    // Connection variables from the developer's shell would skip the first run.
    for (const name of Object.keys(process.env)) if (name.startsWith('QUBS_')) delete process.env[name]
    await launch()
  })

  afterAll(async () => {
    await app?.close()
    if (profile) rmSync(profile, { recursive: true, force: true })
  })

  it('starts a first run on the demo sandbox and shows its worklist', async () => {
    expect(await qubs('getConnectionSetup')).toMatchObject({
      mode: 'unconfigured',
      running: 'demo',
      firstRun: true,
    })
    expect(await qubs('getAppInfo')).toMatchObject({ mode: 'demo' })
    const refresh = await qubs<{ total: number }>('refreshWorklist')
    expect(refresh.total).toBeGreaterThan(0)
  })

  it('keeps a settings change and the demo choice across a restart', async () => {
    await qubs('updateSettings', { appearance: { theme: 'light' }, sync: { worklistIntervalSeconds: 120 } })
    await qubs('useDemo')
    await app!.close()
    await launch()
    expect(await qubs('getSettings')).toMatchObject({
      settings: { appearance: { theme: 'light' }, sync: { worklistIntervalSeconds: 120 } },
    })
    expect(await qubs('getConnectionSetup')).toMatchObject({ mode: 'demo', firstRun: false })
  })

  it('delivers a submission to the demo sandbox', async () => {
    const refresh = await qubs<{ refreshId: string }>('refreshWorklist')
    const chunk = await qubs<{ items: { domain: string; appointmentId: string }[] }>(
      'getWorklistChunk',
      refresh.refreshId,
      0,
    )
    const [first] = chunk.items
    const entry = await qubs<{ id: string }>('enqueueComment', first!.domain, first!.appointmentId, {
      commentText: 'Desktop e2e comment (fake patient).',
      isAlert: false,
    })
    await expect
      .poll(
        async () =>
          (await qubs<{ id: string; state: string }[]>('listOutbox')).find((e) => e.id === entry.id)?.state,
        {
          timeout: 20_000,
        },
      )
      .toBe('delivered')
  })

  it('hands a second launch over to the running window, which stays the only one', async () => {
    const second = spawn(electron.available ? electron.path : '', [mainScript], {
      env: env(),
      stdio: 'ignore',
    })
    const code = await new Promise<number | null>((done) => second.once('exit', done))
    expect(code).toBe(0)
    expect(app!.windows()).toHaveLength(1)
    expect(await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible())).toBe(
      true,
    )
  })
})
