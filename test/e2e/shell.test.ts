import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src-main/common/logger'
import { AppCore } from '../../src-main/core/app-core'
import { MemoryVault } from '../../src-main/core/vault/vault'
import { openWorkstation, type Workstation } from '../../src-main/workstation/open-workstation'
import { launchChromium } from '../support/chromium'
import { PROJECT_ROOT, startTestHarness } from '../support/harness'

describe('app shell in Chromium (browser harness)', () => {
  let browser: Browser
  let harness: Awaited<ReturnType<typeof startTestHarness>>
  let page: Page
  let workstation: Workstation
  let dataDir: string
  const consoleErrors: string[] = []

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'qubs-e2e-'))
    // The real core on the demo sandbox, exactly as `npm run harness` and the app compose it.
    workstation = await openWorkstation({ dataDir, vault: new MemoryVault(), logger: silentLogger, env: {} })
    const core = new AppCore({
      name: 'QUBS Reporter',
      version: '0.1.0',
      mode: workstation.mode,
      runtime: { node: process.versions.node },
      logger: silentLogger,
      services: workstation.services,
      emit: (event, payload) => harness.emit(event, payload),
    })
    harness = await startTestHarness(core)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
  })

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
    await workstation?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('starts the built renderer, reaches the core through window.qubs and shows demo mode', async () => {
    await page.goto(harness.url)
    await expect.poll(() => page.getByTestId('app-mode').textContent()).toBe('Demo sandbox')
    expect(await page.getByText('v0.1.0').count()).toBe(1)
    const outDir = resolve(PROJECT_ROOT, 'test-results/e2e')
    mkdirSync(outDir, { recursive: true })
    await page.screenshot({ path: resolve(outDir, 'shell.png') })
    expect(consoleErrors).toEqual([])
  })

  it('carries capabilities and events between the page and the core over the bridge', async () => {
    const connectivity = async () =>
      page.evaluate(() =>
        (
          globalThis as unknown as { qubs: { getConnectivity(): Promise<{ state: string }> } }
        ).qubs.getConnectivity(),
      )
    expect(await connectivity()).toEqual({ state: 'unknown', lastSuccessAt: null, lastAttemptAt: null })
    await page.evaluate(() => {
      const qubs = (
        globalThis as unknown as { qubs: { on(e: string, l: (p: { state: string }) => void): void } }
      ).qubs
      qubs.on(
        'connectivityChanged',
        (p) => ((globalThis as Record<string, unknown>)['lastConnectivity'] = p.state),
      )
    })
    // A delivery through the real engine is what tells the core QUBS is reachable.
    const [first] = await workstation.services.client!.walkPending()
    await workstation.services.outbox.enqueueComment('demo', first!.appointmentId, {
      commentText: 'E2E bridge check.',
    })
    await workstation.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
    await expect
      .poll(() => page.evaluate(() => (globalThis as Record<string, unknown>)['lastConnectivity']))
      .toBe('online')
    expect(await connectivity()).toMatchObject({ state: 'online' })
  })

  it('keeps Node and Electron out of the page', async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>)['require'],
      process: typeof (globalThis as Record<string, unknown>)['process'],
      qubsKeys: Object.keys((globalThis as unknown as { qubs: object }).qubs).sort(),
    }))
    expect(globals.require).toBe('undefined')
    expect(globals.process).toBe('undefined')
    expect(globals.qubsKeys).toEqual(['getAppInfo', 'getConnectivity', 'on'])
  })
})
