import type { Logger } from '../common/logger'
import { parseConnectionSettings, QubsError, type ConnectionSettings } from '../core/api'
import { ReporterServices } from '../core/reporter-services'
import type { RetentionSource } from '../core/outbox'
import { MemorySecretsVault, type Vault } from '../core/vault/vault'
import { startSandbox, type RunningSandbox } from '../sandbox'

/**
 * Opens the core for one workstation, for the Electron app and the browser harness alike. With QUBS
 * connection settings it talks to QUBS; without them it runs in demo mode against the built-in
 * sandbox (fake patients only), so a new user sees a working app before onboarding.
 */
export type ConnectionEnv = Readonly<Record<string, string | undefined>>

export interface Workstation {
  readonly mode: 'demo' | 'configured'
  readonly services: ReporterServices
  close(): Promise<void>
}

export interface OpenWorkstationOptions {
  /** The configured workstation's data directory; demo mode uses `demoDataDirFor(dataDir)` instead. */
  readonly dataDir: string
  readonly vault: Vault
  readonly logger: Logger
  /** Where QUBS_API_BASE_URL, QUBS_TOKEN_URL, QUBS_CLIENT_ID, QUBS_CLIENT_SECRET, QUBS_DOMAIN come from. */
  readonly env: ConnectionEnv
  /** The outbox's retention (the app passes the person's `privacy.retentionDays`, read at each pass). */
  readonly retention?: RetentionSource
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
  const configured = connectionFromEnv(options.env)
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
    logger: options.logger,
    ...(options.retention ? { retention: options.retention } : {}),
  }).catch(async (error: unknown) => {
    await sandbox?.close()
    throw error
  })
  services.sync?.start()
  options.logger.info('workstation opened', { state: configured ? 'configured' : 'demo' })
  return {
    mode: configured ? 'configured' : 'demo',
    services,
    close: async () => {
      await services.close()
      await sandbox?.close()
    },
  }
}

/**
 * Connection settings from the environment, or null when none are given. Partial settings are an
 * error rather than a silent fall-back to demo mode: reports must never go to the sandbox by mistake.
 */
export function connectionFromEnv(
  env: ConnectionEnv,
): { settings: ConnectionSettings; clientSecret: string | undefined } | null {
  const fields = {
    apiBaseUrl: env['QUBS_API_BASE_URL'],
    tokenUrl: env['QUBS_TOKEN_URL'],
    clientId: env['QUBS_CLIENT_ID'],
    domains: env['QUBS_DOMAIN']
      ?.split(',')
      .map((d) => d.trim())
      .filter((d) => d.length > 0),
  }
  const unset = (Object.keys(CONNECTION_VARIABLES) as (keyof typeof fields)[]).filter((field) => {
    const value = fields[field]
    return value === undefined || value.length === 0
  })
  if (unset.length === Object.keys(fields).length && !env['QUBS_CLIENT_SECRET']) return null
  if (unset.length > 0) throw new IncompleteConnectionError(unset.map((field) => CONNECTION_VARIABLES[field]))
  try {
    return { settings: parseConnectionSettings(fields), clientSecret: env['QUBS_CLIENT_SECRET'] || undefined }
  } catch (error) {
    // The person set variables, not fields: name the variables whose values were refused.
    if (!(error instanceof QubsError) || error.kind !== 'validation') throw error
    const named = Object.keys(error.issues).map(
      (path) => CONNECTION_VARIABLES[path.split('.')[0] as keyof typeof fields] ?? path,
    )
    throw new IncompleteConnectionError(
      [],
      `invalid QUBS connection settings: ${[...new Set(named)].join(', ')}`,
    )
  }
}

/** Which variable carries each connection field (the client secret may already be in the vault). */
const CONNECTION_VARIABLES = {
  apiBaseUrl: 'QUBS_API_BASE_URL',
  tokenUrl: 'QUBS_TOKEN_URL',
  clientId: 'QUBS_CLIENT_ID',
  domains: 'QUBS_DOMAIN',
} as const

/** Some QUBS_* variables set but not all, or set to values that are refused; never a fall-back to demo. */
export class IncompleteConnectionError extends Error {
  readonly missing: readonly string[]

  constructor(missing: readonly string[], message?: string) {
    super(
      message ??
        `incomplete QUBS connection settings: ${listInWords(missing)} ${missing.length === 1 ? 'is' : 'are'} not set ` +
          '(set QUBS_API_BASE_URL, QUBS_TOKEN_URL, QUBS_CLIENT_ID, QUBS_CLIENT_SECRET and QUBS_DOMAIN, or none of them for demo mode)',
    )
    this.name = 'IncompleteConnectionError'
    this.missing = missing
  }
}

function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}
