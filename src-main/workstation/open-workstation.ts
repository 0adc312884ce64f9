import type { Logger } from '../common/logger'
import { parseConnectionSettings, type ConnectionSettings } from '../core/api'
import { ReporterServices } from '../core/reporter-services'
import { MemorySecretsVault, type Vault } from '../core/vault/vault'
import { startSandbox, type RunningSandbox } from '../sandbox'
import { connectionFromEnv, type ConnectionEnv } from './connection-sources'

export { connectionFromEnv, IncompleteConnectionError, type ConnectionEnv } from './connection-sources'

/**
 * Opens the core for one workstation, for the Electron app and the browser harness alike. With QUBS
 * connection settings it talks to QUBS; without them it runs in demo mode against the built-in
 * sandbox (fake patients only), so a new user sees a working app before onboarding.
 */
export interface Workstation {
  readonly mode: 'demo' | 'configured'
  readonly services: ReporterServices
  /** What the client talks to (demo: the in-process sandbox on loopback); no secret. */
  readonly connection: ConnectionSettings
  close(): Promise<void>
}

export interface OpenWorkstationOptions {
  /** The configured workstation's data directory; demo mode uses `demoDataDirFor(dataDir)` instead. */
  readonly dataDir: string
  readonly vault: Vault
  readonly logger: Logger
  /** Where QUBS_API_BASE_URL, QUBS_TOKEN_URL, QUBS_CLIENT_ID, QUBS_CLIENT_SECRET, QUBS_DOMAIN come from. */
  readonly env: ConnectionEnv
  /**
   * The connection already resolved from the environment and the saved choice (the workstation host);
   * null = demo. When absent, it is read from `env` alone.
   */
  readonly connection?: Readonly<{ settings: ConnectionSettings; clientSecret: string | undefined }> | null
  /** How long closing waits for deliveries and connections before parking them (default 3 s each). */
  readonly shutdownTimeoutMs?: number
}

/** The demo sandbox's size and seed: the same fake worklist on every start. */
const DEMO_SANDBOX = { appointments: 60, seed: 20_261_123, domains: ['demo'] } as const

/**
 * Demo mode never shares a data directory with a configured workstation: fake-patient entries must not
 * sit in (or be sent from) the outbox of a real connection, nor the reverse. The outbox also records its
 * mode and refuses to open in the other one, whoever picks the directory.
 */
export function demoDataDirFor(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}-demo`
}

/**
 * What demo entries are bound to: the sandbox listens on a new port at every start, so its real URLs
 * would hold every demo entry as `connection-changed` after a restart. Not a reachable address.
 */
const DEMO_BINDING = {
  tokenUrl: 'http://127.0.0.1/demo-sandbox/oauth2/token',
  apiBaseUrl: 'http://127.0.0.1/demo-sandbox',
} as const

export async function openWorkstation(options: Readonly<OpenWorkstationOptions>): Promise<Workstation> {
  const configured = options.connection === undefined ? connectionFromEnv(options.env) : options.connection
  let sandbox: RunningSandbox | undefined
  let connection: ConnectionSettings
  let vault = options.vault
  if (configured) {
    connection = configured.settings
    if (configured.clientSecret) await options.vault.setSecret('qubs.clientSecret', configured.clientSecret)
  } else {
    sandbox = await startSandbox({ ...DEMO_SANDBOX, logger: options.logger.child('demo-sandbox') })
    connection = parseConnectionSettings({
      tokenUrl: sandbox.tokenUrl,
      apiBaseUrl: sandbox.apiBaseUrl,
      clientId: sandbox.clientId,
      domains: sandbox.domains,
    })
    // The sandbox's secret lives in memory only: a real QUBS secret in the vault stays untouched.
    vault = new MemorySecretsVault(options.vault)
    await vault.setSecret('qubs.clientSecret', sandbox.clientSecret)
  }
  const services = await ReporterServices.open({
    dataDir: configured ? options.dataDir : demoDataDirFor(options.dataDir),
    vault,
    connection,
    mode: configured ? 'configured' : 'demo',
    ...(configured ? {} : { bindingIdentity: { ...connection, ...DEMO_BINDING } }),
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
    logger: options.logger,
  }).catch(async (error: unknown) => {
    await sandbox?.close()
    throw error
  })
  services.sync?.start()
  options.logger.info('workstation opened', { state: configured ? 'configured' : 'demo' })
  return {
    mode: configured ? 'configured' : 'demo',
    services,
    connection,
    close: async () => {
      await services.close()
      await sandbox?.close()
    },
  }
}
