import { parseConnectionSettings, QubsError, type ConnectionSettings } from '../core/api'
import type { SavedConnection, SavedFields } from './connection-file'

/**
 * Where the workstation's QUBS connection comes from: the environment (a managed deployment: every
 * QUBS_* variable that is set wins and is locked) and the person's saved choice, field by field.
 * Partial settings are an error rather than a silent fall-back to demo mode: reports must never go to
 * the sandbox by mistake.
 */
export type ConnectionEnv = Readonly<Record<string, string | undefined>>

export type ConnectionFieldName = keyof typeof CONNECTION_VARIABLES

/** Which variable carries each connection field (the client secret may already be in the vault). */
export const CONNECTION_VARIABLES = {
  apiBaseUrl: 'QUBS_API_BASE_URL',
  tokenUrl: 'QUBS_TOKEN_URL',
  clientId: 'QUBS_CLIENT_ID',
  domains: 'QUBS_DOMAIN',
} as const
export const CLIENT_SECRET_VARIABLE = 'QUBS_CLIENT_SECRET'

const FIELD_NAMES = Object.keys(CONNECTION_VARIABLES) as ConnectionFieldName[]

export interface ResolvedConnection {
  readonly settings: ConnectionSettings
  /** From the environment only; a saved connection's secret is already in the vault. */
  readonly clientSecret: string | undefined
  /** Per field, `env` when the environment fixed it, `user` when the person saved it. */
  readonly sources: Readonly<Partial<Record<ConnectionFieldName | 'clientSecret', 'env' | 'user'>>>
}

/** The connection fields the environment sets (non-empty values only). */
export function fieldsFromEnv(env: ConnectionEnv): SavedFields {
  const fields: SavedFields = {}
  for (const field of FIELD_NAMES) {
    const raw = env[CONNECTION_VARIABLES[field]]
    if (raw === undefined || raw.trim().length === 0) continue
    if (field === 'domains') {
      const domains = raw
        .split(',')
        .map((d) => d.trim())
        .filter((d) => d.length > 0)
      if (domains.length > 0) fields.domains = domains
    } else {
      fields[field] = raw
    }
  }
  return fields
}

/** Connection settings from the environment alone, or null when none are given. */
export function connectionFromEnv(
  env: ConnectionEnv,
): { settings: ConnectionSettings; clientSecret: string | undefined } | null {
  const resolved = resolveConnection(env, null)
  return resolved && { settings: resolved.settings, clientSecret: resolved.clientSecret }
}

/**
 * The environment's fields over the saved ones. Null when neither configures a connection (first run,
 * or demo chosen); throws IncompleteConnectionError when the environment sets some variables and the
 * rest is found nowhere, or values are refused.
 */
export function resolveConnection(
  env: ConnectionEnv,
  saved: SavedConnection | null,
): ResolvedConnection | null {
  const fromEnv = fieldsFromEnv(env)
  const envSecret = env[CLIENT_SECRET_VARIABLE] || undefined
  const fromUser = saved?.choice === 'configured' ? saved.fields : {}
  const envNamed = Object.keys(fromEnv).length > 0 || envSecret !== undefined
  if (!envNamed && saved?.choice !== 'configured') return null
  const fields: SavedFields = { ...fromUser, ...fromEnv }
  const unset = FIELD_NAMES.filter((field) => fields[field] === undefined)
  if (unset.length > 0) throw new IncompleteConnectionError(unset.map((field) => CONNECTION_VARIABLES[field]))
  const sources: Partial<Record<ConnectionFieldName | 'clientSecret', 'env' | 'user'>> = {}
  for (const field of FIELD_NAMES) sources[field] = field in fromEnv ? 'env' : 'user'
  sources.clientSecret = envSecret !== undefined ? 'env' : 'user'
  try {
    return { settings: parseConnectionSettings(fields), clientSecret: envSecret, sources }
  } catch (error) {
    // The person set variables or typed fields, not settings paths: name what was refused.
    if (!(error instanceof QubsError) || error.kind !== 'validation') throw error
    const named = Object.keys(error.issues).map((path) => {
      const field = path.split('.')[0] as ConnectionFieldName
      return sources[field] === 'env' ? CONNECTION_VARIABLES[field] : (field ?? path)
    })
    throw new IncompleteConnectionError(
      [],
      `invalid QUBS connection settings: ${[...new Set(named)].join(', ')}`,
    )
  }
}

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

export function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}
