import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, memorySink } from '../../src-main/common/logger'
import { parseConnectionSettings } from '../../src-main/core/api'
import { SettingsStore } from '../../src-main/core/settings/settings-store'
import { AppCore, type AppCoreOptions } from '../../src-main/core/app-core'
import { ReporterServices } from '../../src-main/core/reporter-services'
import { MemoryVault } from '../../src-main/core/vault/vault'
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src-main/sandbox'
import type { EventName, EventPayload } from '../../src-preload/contract'
import { createDispatcher } from '../../src-preload/contract/server'

/**
 * The real core (outbox, client, sync engine, AppCore) on a sandbox that a test can STOP and START
 * again on the same port — to go offline and come back — for Node tests of the capabilities and for
 * the Chromium e2e tests (see test/support/e2e-app.ts). Usage:
 *
 *   const app = await startCoreOnSandbox({ appointments: 30 })
 *   const envelope = await app.dispatch('qubs:worklist:refresh', [])   // through the real dispatcher
 *   await app.sandbox.stop()      // QUBS unreachable: reads fail with `network`, the outbox holds on
 *   await app.sandbox.start()     // the same port, same seed: the same fake patients again
 *   app.events                    // every event AppCore emitted, in order
 *   app.logs.records              // everything logged (tests grep it for PHI)
 *   await app.close()             // core, services, sandbox and the temporary data directory
 *
 * `onEvent` forwards events too (the e2e helper points it at the harness). Retries and timeouts are
 * short so offline is found out in well under a second.
 */
export interface RecordedEvent {
  readonly event: EventName
  readonly payload: unknown
}

export interface CoreOnSandboxOptions {
  readonly sandbox?: Readonly<Omit<SandboxOptions, 'port' | 'logger'>>
  readonly onEvent?: <K extends EventName>(event: K, payload: EventPayload<K>) => void
  /** The domains the core is configured for (default: the sandbox's); others are refused with 403. */
  readonly connectionDomains?: readonly string[]
  /** The client secret the core holds (default: the sandbox's; a wrong one is refused). */
  readonly clientSecret?: string
  /** Start the sync engine (default true), as the app does. */
  readonly startSync?: boolean
  /** Extra ports for AppCore (settings, openExternal, notify, …), as the app's composition gives them. */
  readonly core?: Readonly<Partial<Omit<AppCoreOptions, 'services' | 'logger' | 'emit'>>>
}

export class RestartableSandbox {
  readonly #options: Readonly<SandboxOptions>
  #running: RunningSandbox | null
  #port: number

  private constructor(options: Readonly<SandboxOptions>, running: RunningSandbox, port: number) {
    this.#options = options
    this.#running = running
    this.#port = port
  }

  static async start(options: Readonly<SandboxOptions>): Promise<RestartableSandbox> {
    const running = await startSandbox(options)
    return new RestartableSandbox(options, running, Number(new URL(running.baseUrl).port))
  }

  /** The running sandbox; throws while it is stopped (its admin API is gone with it). */
  get current(): RunningSandbox {
    if (!this.#running) throw new Error('the sandbox is stopped')
    return this.#running
  }

  get running(): boolean {
    return this.#running !== null
  }

  get port(): number {
    return this.#port
  }

  async stop(): Promise<void> {
    const running = this.#running
    this.#running = null
    await running?.close()
  }

  /** Starts again on the same port with the same options (so the same seeded appointments). */
  async start(): Promise<void> {
    if (this.#running) return
    this.#running = await startSandbox({ ...this.#options, port: this.#port })
  }
}

export interface CoreOnSandbox {
  readonly sandbox: RestartableSandbox
  readonly services: ReporterServices
  readonly core: AppCore
  readonly vault: MemoryVault
  readonly dataDir: string
  /** The person's settings as main keeps them (settings.json in the data directory), e.g. the clinician. */
  readonly settings: SettingsStore
  readonly dispatch: ReturnType<typeof createDispatcher>
  readonly events: RecordedEvent[]
  readonly logs: ReturnType<typeof memorySink>
  close(): Promise<void>
}

export async function startCoreOnSandbox(
  options: Readonly<CoreOnSandboxOptions> = {},
): Promise<CoreOnSandbox> {
  const sandbox = await RestartableSandbox.start({ appointments: 30, seed: 7, ...options.sandbox })
  const dataDir = mkdtempSync(join(tmpdir(), 'qubs-core-'))
  const logs = memorySink()
  const logger = createLogger('test', { sink: logs })
  const vault = new MemoryVault(Buffer.alloc(32, 9))
  const current = sandbox.current
  await vault.setSecret('qubs.clientSecret', options.clientSecret ?? current.clientSecret)
  const services = await ReporterServices.open({
    dataDir,
    vault,
    logger,
    connection: parseConnectionSettings({
      tokenUrl: current.tokenUrl,
      apiBaseUrl: current.apiBaseUrl,
      clientId: current.clientId,
      domains: options.connectionDomains ?? current.domains,
    }),
    clientTuning: {
      retry: { maxAttempts: 2, baseDelayMs: 20, capDelayMs: 100 },
      timeouts: { connectMs: 1_000, headersMs: 2_000, bodyMs: 5_000 },
    },
  })
  const events: RecordedEvent[] = []
  const settings = await SettingsStore.open({ filePath: join(dataDir, 'settings.json'), logger })
  const core = new AppCore({
    name: 'QUBS Reporter',
    version: '0.0.0-test',
    mode: 'configured',
    runtime: { node: process.versions.node },
    logger,
    services,
    vault,
    settings,
    ...options.core,
    emit: (event, payload) => {
      events.push({ event, payload })
      options.onEvent?.(event, payload)
    },
  })
  if (options.startSync ?? true) services.sync?.start()
  const dispatch = createDispatcher(core, {
    onInternalError: (name, error) => logger.error('capability failed', { channel: name, error }),
  })
  return {
    sandbox,
    services,
    settings,
    core,
    vault,
    dataDir,
    dispatch,
    events,
    logs,
    close: async () => {
      core.dispose()
      await services.close()
      await sandbox.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
