import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { CHROMIUM_PATH } from '../support/chromium'
import { startCoreOnSandbox, type CoreOnSandbox, type CoreOnSandboxOptions } from '../support/core-on-sandbox'
import { PROJECT_ROOT, startTestHarness } from '../support/harness'

/**
 * The screens end to end: the real core on a sandbox that can be stopped and started, the built
 * renderer through the harness, in Debian's Chromium with a profile on disk (so IndexedDB is real
 * files the canary test can read).
 */
export interface ScreensApp {
  readonly app: CoreOnSandbox
  readonly page: Page
  readonly context: BrowserContext
  readonly profileDir: string
  readonly consoleErrors: string[]
  /** Closes the browser (flushing the profile to disk), keeping the profile. */
  closeBrowser(): Promise<void>
  close(): Promise<void>
}

export async function startScreensApp(
  options: Readonly<{ appointments?: number; viewport?: { width: number; height: number } }> = {},
): Promise<ScreensApp> {
  let emit: NonNullable<CoreOnSandboxOptions['onEvent']> = () => undefined
  const app = await startCoreOnSandbox({
    sandbox: { appointments: options.appointments ?? 40, seed: 11 },
    onEvent: (event, payload) => emit(event, payload),
  })
  const harness = await startTestHarness(app.core)
  emit = (event, payload) => harness.emit(event, payload)
  const profileDir = mkdtempSync(join(tmpdir(), 'qubs-e2e-profile-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: options.viewport ?? { width: 1366, height: 768 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-sync',
    ],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const consoleErrors: string[] = []
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  await page.goto(harness.url)
  let browserOpen = true
  const closeBrowser = async () => {
    if (browserOpen) await context.close()
    browserOpen = false
  }
  return {
    app,
    page,
    context,
    profileDir,
    consoleErrors,
    closeBrowser,
    close: async () => {
      await closeBrowser()
      await harness.close()
      await app.close()
      rmSync(profileDir, { recursive: true, force: true })
    },
  }
}

/** The worklist with at least one row from the sandbox. */
export async function waitForWorklist(page: Page) {
  const grid = page.getByRole('grid', { name: 'Worklist' })
  await expect.poll(() => grid.getByRole('row').count(), { timeout: 30_000 }).toBeGreaterThan(2)
  return grid
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, screenName: string) {
  const result = await new AxeBuilder({ page }).analyze()
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screenName}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  expect(bad).toEqual([])
}

/** Both themes; the screenshots land in test-results/e2e for people to look at. */
export async function screenshot(page: Page, name: string) {
  const dir = resolve(PROJECT_ROOT, 'test-results/e2e')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: resolve(dir, `${name}.png`) })
}
