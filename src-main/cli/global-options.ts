import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { usageError } from './cli-error'

/**
 * Global options, each of which may also come from an environment variable. A flag wins over the
 * environment. Values are only shaped here; the core's own schemas validate them where they are used.
 */
export interface GlobalOptions {
  readonly dataDir: string
  readonly keyFile: string
  readonly dataKeyText: string | undefined
  readonly apiBaseUrl: string | undefined
  readonly tokenUrl: string | undefined
  readonly clientId: string | undefined
  readonly clientSecret: string | undefined
  readonly domains: readonly string[]
  readonly json: boolean
}

export const GLOBAL_OPTION_SPECS = {
  'data-dir': { type: 'string' },
  'key-file': { type: 'string' },
  'api-base-url': { type: 'string' },
  'token-url': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  domain: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

export type Env = Readonly<Record<string, string | undefined>>

export function resolveGlobalOptions(values: Readonly<Record<string, unknown>>, env: Env): GlobalOptions {
  const text = (flag: string, variable: string): string | undefined => {
    const value = values[flag]
    if (typeof value === 'string') return value
    const fromEnv = env[variable]
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
  }
  const home = env['HOME'] ?? homedir()
  const dataHome = env['XDG_DATA_HOME'] || join(home, '.local', 'share')
  const configHome = env['XDG_CONFIG_HOME'] || join(home, '.config')
  const flagDomains = values['domain'] as string[] | undefined
  const domains = (flagDomains && flagDomains.length > 0 ? flagDomains : [env['QUBS_DOMAIN'] ?? ''])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value.length > 0)
  const dataDir = resolve(text('data-dir', 'QUBS_DATA_DIR') ?? join(dataHome, 'qubs-reporter'))
  const keyFile = resolve(text('key-file', 'QUBS_KEY_FILE') ?? join(configHome, 'qubs-reporter', 'data.key'))
  if (keyFile.startsWith(`${dataDir}/`)) {
    throw usageError('the key file must live outside the data directory (--key-file)')
  }
  return {
    dataDir,
    keyFile,
    dataKeyText: env['QUBS_DATA_KEY'] || undefined,
    apiBaseUrl: text('api-base-url', 'QUBS_API_BASE_URL'),
    tokenUrl: text('token-url', 'QUBS_TOKEN_URL'),
    clientId: text('client-id', 'QUBS_CLIENT_ID'),
    clientSecret: text('client-secret', 'QUBS_CLIENT_SECRET'),
    domains: [...new Set(domains)],
    json: values['json'] === true,
  }
}

/** Which connection settings are missing, by their flag names, for a clear usage error. */
export function missingConnectionOptions(options: GlobalOptions): string[] {
  const missing: string[] = []
  if (!options.apiBaseUrl) missing.push('--api-base-url')
  if (!options.tokenUrl) missing.push('--token-url')
  if (!options.clientId) missing.push('--client-id')
  if (!options.clientSecret) missing.push('--client-secret')
  if (options.domains.length === 0) missing.push('--domain')
  return missing
}
