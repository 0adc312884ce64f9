import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { createLogger, memorySink } from '../../src-main/common/logger'
import { AppCore, type EmitEvent } from '../../src-main/core/app-core'
import type { Notice } from '../../src-main/core/app/notifications'
import { SettingsStore } from '../../src-main/core/settings/settings-store'
import { MemoryVault } from '../../src-main/core/vault/vault'
import { startSandbox, type RunningSandbox } from '../../src-main/sandbox'
import { WorkstationHost } from '../../src-main/workstation/workstation-host'
import type { Envelope, InvokeName } from '../../src-preload/contract'
import { launchChromium } from './chromium'
import { startTestHarness } from './harness'

/**
 * The desktop app as `npm run harness` composes it — WorkstationHost (first run on the demo sandbox,
 * connection setup, in-process switches), settings, the viewer and notification ports — served to
 * Chromium, plus a second sandbox on loopback that plays "QUBS" for the person to connect to. For e2e
 * tests of first run, settings and support, through the screens or `window.qubs`:
 *
 *   const e2e = await startDesktopE2e()
 *   await e2e.page.goto(e2e.url)
 *   await e2e.call('saveConnection', e2e.qubsInput())   // window.qubs in the page, unwrapped
 *   e2e.opened / e2e.notices / e2e.events                // what the ports and the core pushed
 *   await e2e.close()
 */
export interface DesktopE2e {
  readonly url: string
  readonly page: Page
  readonly host: WorkstationHost
  /** The loopback sandbox playing QUBS (secret `qubs-e2e-secret`, domain `acme`). */
  readonly qubs: RunningSandbox
  readonly opened: string[]
  readonly notices: Notice[]
  readonly events: { event: string; payload: unknown }[]
  readonly logs: ReturnType<typeof memorySink>
  /** The connection form filled in for `qubs`. */
  qubsInput(overrides?: Record<string, unknown>): Record<string, unknown>
  /** Calls `window.qubs[name]` in the page; throws with the contract error's code when it fails. */
  call<T = unknown>(name: InvokeName, ...args: unknown[]): Promise<T>
  close(): Promise<void>
}

export const QUBS_E2E_SECRET = 'qubs-e2e-secret'

export async function startDesktopE2e(): Promise<DesktopE2e> {
  const home = mkdtempSync(join(tmpdir(), 'qubs-desktop-e2e-'))
  const logs = memorySink()
  const logger = createLogger('desktop-e2e', { sink: logs })
  const qubs = await startSandbox({
    appointments: 20,
    domains: ['acme'],
    clientSecret: QUBS_E2E_SECRET,
    seed: 11,
  })
  const settings = await SettingsStore.open({ filePath: join(home, 'settings.json'), logger })
  const vault = new MemoryVault()
  const opened: string[] = []
  const viewerOrigins: string[] = []
  const notices: Notice[] = []
  const events: { event: string; payload: unknown }[] = []
  const push: { emit?: EmitEvent } = {}
  const emit: EmitEvent = (event, payload) => {
    events.push({ event, payload })
    push.emit?.(event, payload)
  }
  const host = await WorkstationHost.open({
    dataDir: join(home, 'data'),
    connectionFile: join(home, 'connection.json'),
    vault,
    logger,
    env: {},
    emit,
    shutdownTimeoutMs: 1_000,
    createCore: (workstation, setup) =>
      new AppCore({
        name: 'QUBS Reporter',
        version: '0.1.0',
        mode: workstation.mode,
        runtime: { node: process.versions.node },
        logger,
        services: workstation.services,
        vault,
        settings,
        setup,
        connection: workstation.connection,
        openExternal: async (url) => void opened.push(url),
        // The test plays the person: the loopback viewer the tests use is allowed up front.
        viewerConsent: { require: async (origin) => void viewerOrigins.push(origin) },
        notify: (notice) => notices.push(notice),
        emit,
      }),
  })
  const harness = await startTestHarness(host.impl)
  push.emit = harness.emit
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
  } catch (error) {
    await harness.close()
    await host.close()
    await qubs.close()
    rmSync(home, { recursive: true, force: true })
    throw error
  }
  // A page of its own context (not browser.newPage): axe-core's checks open pages in that context.
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  return {
    url: harness.url,
    page,
    host,
    qubs,
    opened,
    notices,
    events,
    logs,
    qubsInput: (overrides = {}) => ({
      tokenUrl: qubs.tokenUrl,
      apiBaseUrl: qubs.apiBaseUrl,
      clientId: qubs.clientId,
      domains: ['acme'],
      clientSecret: QUBS_E2E_SECRET,
      ...overrides,
    }),
    call: async <T>(name: InvokeName, ...args: unknown[]): Promise<T> => {
      const envelope = (await page.evaluate(
        ([method, rest]) =>
          (globalThis as unknown as { qubs: Record<string, (...a: unknown[]) => Promise<unknown>> }).qubs[
            method
          ]!(...rest),
        [name, args] as [string, unknown[]],
      )) as Envelope
      if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code} ${envelope.error.message}`)
      return envelope.value as T
    },
    close: async () => {
      await browser?.close()
      await harness.close()
      await host.close()
      await qubs.close()
      rmSync(home, { recursive: true, force: true })
    },
  }
}
