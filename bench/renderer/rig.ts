/**
 * One renderer benchmark rig: the built renderer served by the harness on the real core, against a
 * sandbox seeded with N appointments that can be stopped (offline) and started again, in Debian's
 * Chromium with a persistent profile (so a relaunch is a cold start from the IndexedDB cache). The
 * served capabilities can be wrapped (a 2 MB PDF attachment is added that way; the sandbox's own are
 * small). Every page gets the probe of page-probe.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core'
import type { ApiMethods } from '../../src-preload/contract'
import { CHROMIUM_ARGS, requireChromium } from '../../test/support/chromium'
import { startCoreOnSandbox, type CoreOnSandbox } from '../../test/support/core-on-sandbox'
import { startTestHarness } from '../../test/support/harness'
import type { PageGlobals } from './page-dom'
import { PAGE_PROBE, type ProbeSpec } from './page-probe'

export interface RendererRig {
  readonly app: CoreOnSandbox
  readonly url: string
  readonly page: Page
  readonly cdp: CDPSession
  readonly context: BrowserContext
  readonly chromiumVersion: string
  /** Appointments the sandbox lists as pending: the rows the grid shows (seeding makes some not pending). */
  readonly pending: number
  /** What the harness logged (ids and codes, no PHI): why a capability failed. */
  readonly harnessLog: () => readonly unknown[]
  /** Closes Chromium and opens it again on the same profile: the next navigation is a cold start. */
  relaunch(): Promise<void>
  /** Waits until the grid lists every appointment (`aria-rowcount` is rows + the header row). */
  waitForRows(count: number, timeoutMs: number): Promise<void>
  /** Arms the page probe, runs `act` (the input), and resolves with the probe's milliseconds. */
  timed(spec: ProbeSpec, act: () => Promise<void>): Promise<number>
  close(): Promise<void>
}

export interface RigOptions {
  readonly appointments: number
  /** Wraps the capabilities the harness serves (the sandbox is running when it is called). */
  readonly wrap?: (core: ApiMethods, app: CoreOnSandbox) => ApiMethods
}

export const GRID = '[role="grid"][aria-label="Worklist"]'

export async function openRig(options: Readonly<RigOptions>): Promise<RendererRig> {
  let emit: ((event: never, payload: never) => void) | null = null
  const app = await startCoreOnSandbox({
    sandbox: { appointments: options.appointments, seed: 21 },
    onEvent: (event, payload) =>
      (emit as ((e: typeof event, p: typeof payload) => void) | null)?.(event, payload),
  })
  const harness = await startTestHarness(options.wrap ? options.wrap(app.core, app) : app.core)
  emit = harness.emit as never
  const profileDir = mkdtempSync(join(tmpdir(), 'qubs-bench-profile-'))

  async function launch(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: requireChromium(),
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1366, height: 768 },
    })
    await context.addInitScript(PAGE_PROBE)
    const page = context.pages()[0] ?? (await context.newPage())
    const cdp = await context.newCDPSession(page)
    return { context, page, cdp }
  }

  let current = await launch()
  const version = (await current.cdp.send('Browser.getVersion')).product.replace(/^(Headless)?Chrome\//, '')
  return {
    app,
    url: harness.url,
    get page() {
      return current.page
    },
    get cdp() {
      return current.cdp
    },
    get context() {
      return current.context
    },
    chromiumVersion: version,
    harnessLog: () => harness.logs.records,
    pending: app.sandbox.current.admin.pendingAppointmentIds('demo', options.appointments).length,
    async relaunch() {
      await current.context.close()
      current = await launch()
    },
    async waitForRows(count, timeoutMs) {
      await current.page.waitForFunction(
        ([grid, expected]) =>
          (globalThis as unknown as PageGlobals).document
            .querySelector(grid)
            ?.getAttribute('aria-rowcount') === expected,
        [GRID, String(count + 1)] as const,
        { timeout: timeoutMs, polling: 250 },
      )
    },
    timed(spec, act) {
      return timedOn(current.page, spec, act)
    },
    async close() {
      await current.context.close().catch(() => undefined)
      await harness.close()
      await app.close()
      rmSync(profileDir, { recursive: true, force: true })
    },
  }
}

/** Arms the probe in `page`, runs `act` (the input), and resolves with the probe's milliseconds. */
export async function timedOn(page: Page, spec: ProbeSpec, act: () => Promise<void>): Promise<number> {
  await page.evaluate((s) => (globalThis as unknown as PageGlobals).__qubsBench.arm(s), spec)
  await act()
  const ms: unknown = await page.evaluate(() => (globalThis as unknown as PageGlobals).__qubsBench.done())
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new Error('the page probe gave no time')
  return ms
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
