import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { silentLogger } from '../../src-main/common/logger'
import { AppCore, type EmitEvent } from '../../src-main/core/app-core'
import { SettingsStore } from '../../src-main/core/settings/settings-store'
import { MemoryVault } from '../../src-main/core/vault/vault'
import { startSandbox, type RunningSandbox } from '../../src-main/sandbox'
import { WorkstationHost } from '../../src-main/workstation/workstation-host'
import { CHROMIUM_ARGS, requireChromium } from '../support/chromium'
import { startTestHarness } from '../support/harness'
import { screenshot } from './screens-app'

/**
 * The desktop app as a person installs it, in Chromium through the harness: a workstation host that
 * starts on its first run (demo sandbox behind, nothing chosen), main's settings store, and a second
 * sandbox standing in for the practice's QUBS (domain `acme`, secret `acme-secret`).
 */
export interface DeskApp {
  readonly page: Page
  readonly context: BrowserContext
  readonly qubs: RunningSandbox
  readonly url: string
  readonly pageErrors: string[]
  close(): Promise<void>
}

export const ACME_SECRET = 'acme-secret'

export async function startDeskApp(
  options: Readonly<{ viewport?: { width: number; height: number } }> = {},
): Promise<DeskApp> {
  const home = mkdtempSync(join(tmpdir(), 'qubs-desk-e2e-'))
  const qubs = await startSandbox({ appointments: 12, domains: ['acme'], clientSecret: ACME_SECRET, seed: 5 })
  const settings = await SettingsStore.open({ filePath: join(home, 'settings.json'), logger: silentLogger })
  const vault = new MemoryVault()
  let emit: EmitEvent = () => undefined
  const forward: EmitEvent = (event, payload) => emit(event, payload)
  const host = await WorkstationHost.open({
    dataDir: join(home, 'data'),
    connectionFile: join(home, 'connection.json'),
    vault,
    logger: silentLogger,
    env: {},
    shutdownTimeoutMs: 1000,
    emit: forward,
    createCore: (workstation, setup) =>
      new AppCore({
        name: 'QUBS Reporter',
        version: '0.1.0',
        mode: workstation.mode,
        runtime: { node: process.versions.node },
        logger: silentLogger,
        services: workstation.services,
        vault,
        settings,
        setup,
        openExternal: async () => undefined,
        notify: () => undefined,
        connection: workstation.connection,
        emit: forward,
      }),
  })
  const harness = await startTestHarness(host.impl)
  emit = (event, payload) => harness.emit(event, payload)
  const profileDir = mkdtempSync(join(tmpdir(), 'qubs-desk-profile-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: requireChromium(),
    headless: true,
    viewport: options.viewport ?? { width: 1366, height: 768 },
    args: [...CHROMIUM_ARGS],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(harness.url)
  return {
    page,
    context,
    qubs,
    url: harness.url,
    pageErrors,
    close: async () => {
      await context.close()
      await harness.close()
      await host.close()
      await qubs.close()
      rmSync(profileDir, { recursive: true, force: true })
      rmSync(home, { recursive: true, force: true })
    },
  }
}

/** Both themes at 1366×768 and 1920×1080, of the screen as it is now (test-results/e2e/desk-*.png). */
export async function screenshotsOf(
  page: Page,
  name: string,
  setTheme: (theme: 'dark' | 'light') => Promise<void>,
) {
  for (const theme of ['dark', 'light'] as const) {
    await setTheme(theme)
    await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' })
    for (const [width, height] of [
      [1366, 768],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height })
      await screenshot(page, `desk-${name}-${theme}-${width}x${height}`)
    }
  }
  await page.setViewportSize({ width: 1366, height: 768 })
}
