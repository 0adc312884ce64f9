import type { ConnectionInput, ConnectionSetup } from '../../src-preload/contract/setup-schemas'
import { ContractError } from '../../src-preload/contract/server'
import { parseConnectionSettings, QubsError, type ConnectionSettings } from '../core/api'
import type { SavedConnection, SavedFields } from './connection-file'
import {
  CLIENT_SECRET_VARIABLE,
  CONNECTION_VARIABLES,
  fieldsFromEnv,
  listInWords,
  type ConnectionEnv,
  type ConnectionFieldName,
  type ResolvedConnection,
} from './connection-sources'

/**
 * The two directions between the setup form and the workstation's connection: what the form shows
 * (`setupView`, never the secret) and what a submitted form means (`connectionFromInput`: the
 * environment's fields are locked — a different value for one is refused by its variable's name,
 * never silently replaced — and the rest is validated as the client will use it).
 */
export interface SetupFacts {
  readonly env: ConnectionEnv
  readonly saved: SavedConnection | null
  readonly resolved: ResolvedConnection | null
  readonly running: 'demo' | 'configured'
  readonly hasStoredSecret: boolean
}

export function setupView(facts: Readonly<SetupFacts>): ConnectionSetup {
  const mode = facts.resolved ? 'configured' : facts.saved?.choice === 'demo' ? 'demo' : 'unconfigured'
  const envSecret = facts.env[CLIENT_SECRET_VARIABLE] ? true : false
  const sources: ConnectionSetup['sources'] = {}
  const envVariables: ConnectionSetup['envVariables'] = {}
  for (const [field, source] of Object.entries(facts.resolved?.sources ?? {})) {
    sources[field as keyof typeof sources] = source
  }
  for (const field of Object.keys(fieldsFromEnv(facts.env)) as ConnectionFieldName[]) {
    sources[field] = 'env'
    envVariables[field] = CONNECTION_VARIABLES[field]
  }
  if (envSecret) {
    sources.clientSecret = 'env'
    envVariables.clientSecret = CLIENT_SECRET_VARIABLE
  } else if (!facts.hasStoredSecret) {
    delete sources.clientSecret
  }
  const settings = facts.resolved?.settings
  return {
    mode,
    running: facts.running,
    firstRun: mode === 'unconfigured',
    connection: settings
      ? {
          tokenUrl: settings.tokenUrl,
          apiBaseUrl: settings.apiBaseUrl,
          clientId: settings.clientId,
          domains: [...settings.domains],
          hasClientSecret: envSecret || facts.hasStoredSecret,
        }
      : null,
    sources,
    envVariables,
  }
}

export interface ConnectionFromInput {
  readonly settings: ConnectionSettings
  /** What to store in connection.json: the fields the environment does not fix. */
  readonly userFields: SavedFields
  /** The secret the person typed; undefined = keep the stored (or the environment's) one. */
  readonly typedSecret: string | undefined
}

export function connectionFromInput(
  input: Readonly<ConnectionInput>,
  env: ConnectionEnv,
): ConnectionFromInput {
  const fromEnv = fieldsFromEnv(env)
  const typed: SavedFields = {
    tokenUrl: input.tokenUrl,
    apiBaseUrl: input.apiBaseUrl,
    clientId: input.clientId,
    domains: [...input.domains],
  }
  const conflicts: string[] = []
  const userFields: SavedFields = {}
  for (const field of Object.keys(CONNECTION_VARIABLES) as ConnectionFieldName[]) {
    const fixed = fromEnv[field]
    if (fixed === undefined) {
      Object.assign(userFields, { [field]: typed[field] })
    } else if (JSON.stringify(fixed) !== JSON.stringify(typed[field])) {
      conflicts.push(CONNECTION_VARIABLES[field])
    }
  }
  if (input.clientSecret !== undefined && env[CLIENT_SECRET_VARIABLE]) conflicts.push(CLIENT_SECRET_VARIABLE)
  if (conflicts.length > 0) {
    throw new ContractError(
      'refused',
      `${listInWords(conflicts)} ${conflicts.length === 1 ? 'fixes' : 'fix'} this value on this computer; it cannot be changed here`,
    )
  }
  try {
    return {
      settings: parseConnectionSettings({ ...typed, ...fromEnv }),
      userFields,
      typedSecret: input.clientSecret,
    }
  } catch (error) {
    if (!(error instanceof QubsError) || error.kind !== 'validation') throw error
    throw new ContractError(
      'validation',
      `the connection settings are not valid: ${Object.keys(error.issues).join(', ')}`,
    )
  }
}
