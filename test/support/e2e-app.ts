import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, requireChromium } from './chromium'
import { startCoreOnSandbox, type CoreOnSandbox, type CoreOnSandboxOptions } from './core-on-sandbox'
import type { RunningHarness } from '../../src-main/harness/harness-server'
import { startTestHarness } from './harness'

/**
 * Everything a Chromium e2e test of the screens needs, in one call: the built renderer served by the
 * harness, on the REAL core (outbox, client, sync engine, AppCore), against a sandbox the test can stop
 * and start again on the same port, in a Chromium with a PERSISTENT profile directory — so a test can
 * reload or reopen the page and find its IndexedDB, and grep the IndexedDB files on disk for canaries.
 *
 *   const e2e = await startE2eApp({ sandbox: { appointments: 40 } })
 *   await e2e.page.goto(e2e.url)
 *   await e2e.app.sandbox.stop()          // offline: reads fail with `network`, comments wait in the outbox
 *   await e2e.app.sandbox.start()         // back on the same port; then e.g. await e2e.syncNow()
 *   e2e.profileDir                        // Chromium's user-data-dir; IndexedDB lives under Default/IndexedDB
 *   await e2e.reopen()                    // closes Chromium and opens it again on the same profile
 *   e2e.consoleErrors                     // console errors and page errors seen so far
 *   await e2e.close()                     // browser, harness, core, sandbox, temp dirs
 *
 * `npm run build` must have run (the e2e project does it). Viewport defaults to 1366×768.
 */
export interface E2eAppOptions extends CoreOnSandboxOptions {
  readonly viewport?: { readonly width: number; readonly height: number }
}

export interface E2eApp {
  readonly app: CoreOnSandbox
  readonly url: string
  readonly profileDir: string
  readonly consoleErrors: string[]
  readonly context: BrowserContext
  readonly page: Page
  /** Closes Chromium and launches it again on the same profile directory (a cold start). */
  reopen(): Promise<Page>
  /** Asks the sync engine to deliver now and waits until nothing more can happen without a person. */
  syncNow(): Promise<void>
  close(): Promise<void>
}

export async function startE2eApp(options: Readonly<E2eAppOptions> = {}): Promise<E2eApp> {
  // Events go to the harness once it listens; the core is made first because the harness serves it.
  const pushToPage: { emit?: RunningHarness['emit'] } = {}
  const app = await startCoreOnSandbox({
    ...options,
    onEvent: (event, payload) => {
      pushToPage.emit?.(event, payload)
      options.onEvent?.(event, payload)
    },
  })
  const harness = await startTestHarness(app.core)
  pushToPage.emit = (event, payload) => harness.emit(event, payload)
  const profileDir = mkdtempSync(join(tmpdir(), 'qubs-e2e-profile-'))
  const consoleErrors: string[] = []
  const viewport = options.viewport ?? { width: 1366, height: 768 }

  async function launch(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: requireChromium(),
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport,
    })
    const page = context.pages()[0] ?? (await context.newPage())
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
    return { context, page }
  }

  let current = await launch()
  return {
    app,
    url: harness.url,
    profileDir,
    consoleErrors,
    get context() {
      return current.context
    },
    get page() {
      return current.page
    },
    async reopen() {
      await current.context.close()
      current = await launch()
      return current.page
    },
    async syncNow() {
      app.services.sync?.wake('network')
      await app.services.sync?.drainUntilIdle({ timeoutMs: 20_000 })
    },
    async close() {
      await current.context.close().catch(() => undefined)
      await harness.close()
      await app.close()
      rmSync(profileDir, { recursive: true, force: true })
    },
  }
}
