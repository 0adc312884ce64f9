import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src-main/common/logger'
import { AppCore } from '../../src-main/core/app-core'
import { launchChromium } from '../support/chromium'
import { PROJECT_ROOT, startTestHarness } from '../support/harness'

describe('app shell in Chromium (browser harness)', () => {
  let browser: Browser
  let harness: Awaited<ReturnType<typeof startTestHarness>>
  let page: Page
  const consoleErrors: string[] = []

  beforeAll(async () => {
    const core = new AppCore({
      name: 'QUBS Reporter',
      version: '0.1.0',
      mode: 'demo',
      runtime: { node: process.versions.node },
      logger: silentLogger,
      services: null,
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
