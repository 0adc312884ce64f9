import { invokeNames, type ApiMethods } from '../../src-preload/contract/api'
import type {
  ConnectionInput,
  ConnectionSetup,
  ConnectionTest,
} from '../../src-preload/contract/setup-schemas'
import { ContractError } from '../../src-preload/contract/server'
import type { Logger } from '../common/logger'
import type { ConnectionSettings } from '../core/api'
import type { RetentionSource } from '../core/outbox'
import type { AppCore, ConnectionSetupPort, EmitEvent } from '../core/app-core'
import { runConnectionTest } from '../core/app/connection-test'
import type { Vault } from '../core/vault/vault'
import { ConnectionFile, type SavedConnection } from './connection-file'
import { connectionFromInput, setupView } from './connection-setup-view'
import { CLIENT_SECRET_VARIABLE, resolveConnection, type ConnectionEnv } from './connection-sources'
import { openWorkstation, type Workstation } from './open-workstation'

/**
 * Owns the running workstation (services + AppCore) and replaces it in-process when the person
 * saves a connection or picks the demo: the running services close (bounded: in-flight deliveries are
 * parked, their entries stay `sending` for the next open with the same key), new ones open for the new
 * choice, and the dispatcher keeps calling `impl`, which forwards to whichever core is current. Calls
 * that arrive during a switch wait for it, so none reaches a closed core.
 */
export interface WorkstationHostOptions {
  /** The configured workstation's data directory (demo uses `<dataDir>-demo`). */
  readonly dataDir: string
  /** `<userData>/connection.json`. */
  readonly connectionFile: string
  readonly vault: Vault
  readonly logger: Logger
  readonly env: ConnectionEnv
  /** Builds the core for a freshly opened workstation; `setup` is this host. */
  readonly createCore: (workstation: Workstation, setup: ConnectionSetupPort) => AppCore
  /** Where the host's own events go (the same sink the cores emit to). */
  readonly emit: EmitEvent
  readonly shutdownTimeoutMs?: number
  /** The outbox's retention for every workstation this host opens (`privacy.retentionDays`). */
  readonly retention?: RetentionSource
  /**
   * Asked before a configured workstation opens (at start and on every switch); throws to refuse it,
   * e.g. when patient data would sit under a weak key store. Refusing at a switch keeps the previous one.
   */
  readonly beforeConfiguredOpen?: () => Promise<void>
}

interface Current {
  readonly workstation: Workstation
  readonly core: AppCore
}

const SECRET = 'qubs.clientSecret'

export class WorkstationHost implements ConnectionSetupPort {
  readonly #options: Readonly<WorkstationHostOptions>
  readonly #logger: Logger
  readonly #file: ConnectionFile
  #saved: SavedConnection | null
  #current: Current | null = null
  /** Settles when no switch is running; calls forwarded through `impl` wait on it. */
  #switching: Promise<void> = Promise.resolve()
  /** Serialises saves and demo choices: one switch at a time, in the order asked. */
  #queue: Promise<unknown> = Promise.resolve()

  /** The contract's capabilities, forwarded to the current core. Hand this to the dispatcher. */
  readonly impl: ApiMethods

  private constructor(
    options: Readonly<WorkstationHostOptions>,
    file: ConnectionFile,
    saved: SavedConnection | null,
  ) {
    this.#options = options
    this.#logger = options.logger.child('workstation-host')
    this.#file = file
    this.#saved = saved
    this.impl = Object.fromEntries(
      invokeNames.map((name) => [
        name,
        async (...args: unknown[]) => {
          await this.#switching
          const method = this.#need().core[name] as (...a: unknown[]) => Promise<unknown>
          return method(...args)
        },
      ]),
    ) as unknown as ApiMethods
  }

  static async open(options: Readonly<WorkstationHostOptions>): Promise<WorkstationHost> {
    const file = new ConnectionFile(options.connectionFile, options.logger)
    const host = new WorkstationHost(options, file, await file.read())
    host.#current = await host.#openCurrent()
    return host
  }

  get workstation(): Workstation {
    return this.#need().workstation
  }

  get core(): AppCore {
    return this.#need().core
  }

  getConnectionSetup = async (): Promise<ConnectionSetup> => {
    const resolved = resolveConnection(this.#options.env, this.#saved)
    return setupView({
      env: this.#options.env,
      saved: this.#saved,
      resolved,
      running: this.#current?.workstation.mode ?? (resolved ? 'configured' : 'demo'),
      hasStoredSecret: (await this.#options.vault.getSecret(SECRET)) !== null,
    })
  }

  testConnection = async (input: ConnectionInput): Promise<ConnectionTest> => {
    const { settings, typedSecret } = connectionFromInput(input, this.#options.env)
    return runConnectionTest({
      settings,
      clientSecret: await this.#secretFor(typedSecret, settings),
      logger: this.#logger,
    })
  }

  saveConnection = async (input: ConnectionInput): Promise<ConnectionSetup> =>
    this.#serialised(async () => {
      const { settings, userFields, typedSecret } = connectionFromInput(input, this.#options.env)
      await this.#secretFor(typedSecret, settings)
      const previousSecret = await this.#options.vault.getSecret(SECRET)
      if (typedSecret !== undefined) await this.#options.vault.setSecret(SECRET, typedSecret)
      const restoreSecret = async () => {
        if (typedSecret === undefined) return
        if (previousSecret === null) await this.#options.vault.deleteSecret(SECRET)
        else await this.#options.vault.setSecret(SECRET, previousSecret)
      }
      const secretFor =
        typedSecret === undefined
          ? this.#saved?.secretFor
          : { tokenUrl: settings.tokenUrl, clientId: settings.clientId, apiBaseUrl: settings.apiBaseUrl }
      await this.#switchTo(
        { version: 1, choice: 'configured', fields: userFields, ...(secretFor ? { secretFor } : {}) },
        restoreSecret,
      )
      return this.getConnectionSetup()
    })

  useDemo = async (): Promise<ConnectionSetup> =>
    this.#serialised(async () => {
      if (resolveConnection(this.#options.env, null)) {
        throw new ContractError(
          'refused',
          'the QUBS connection is fixed by the environment (QUBS_*) on this computer',
        )
      }
      const secretFor = this.#saved?.secretFor
      const demo: SavedConnection = { version: 1, choice: 'demo', ...(secretFor ? { secretFor } : {}) }
      if (this.#current?.workstation.mode === 'demo') {
        // First run already runs the demo: the choice is recorded, nothing needs re-opening.
        await this.#file.write(demo)
        this.#saved = demo
        await this.#announce(false)
      } else {
        await this.#switchTo(demo, async () => undefined)
      }
      return this.getConnectionSetup()
    })

  /**
   * The computer woke from sleep or the network came back: try the outbox now (OS events alone are
   * not trusted as "online"; the engine finds out by trying) and ask the page to refresh the worklist.
   */
  wake(reason: 'resume' | 'network'): void {
    if (!this.#current) return
    this.#current.workstation.services.sync?.wake(reason)
    this.#options.emit('worklistStale', { reason })
  }

  /** Closes the current core and workstation (bounded, see ReporterServices.close). */
  async close(): Promise<void> {
    await this.#queue.catch(() => undefined)
    await this.#closeCurrent()
  }

  async #switchTo(next: SavedConnection, restoreSecret: () => Promise<void>): Promise<void> {
    const previous = this.#saved
    // The choice is durable before anything closes: a crash mid-switch opens the new choice next time.
    await this.#file.write(next)
    this.#saved = next
    let finish: () => void = () => undefined
    this.#switching = new Promise((resolve) => (finish = resolve))
    try {
      await this.#closeCurrent()
      try {
        this.#current = await this.#openCurrent()
      } catch (error) {
        this.#logger.error('the new connection could not be opened; going back to the previous one', {
          error,
        })
        if (previous) await this.#file.write(previous)
        else await this.#file.clear()
        this.#saved = previous
        await restoreSecret()
        this.#current = await this.#openCurrent()
        if (error instanceof ContractError) throw error
        throw new ContractError(
          'unavailable',
          'the workstation could not be opened on the new connection; the previous one is back in use',
        )
      }
    } finally {
      finish()
    }
    await this.#announce(true)
  }

  async #openCurrent(): Promise<Current> {
    const resolved = resolveConnection(this.#options.env, this.#saved)
    if (resolved) await this.#options.beforeConfiguredOpen?.()
    const workstation = await openWorkstation({
      dataDir: this.#options.dataDir,
      vault: this.#options.vault,
      logger: this.#options.logger,
      env: this.#options.env,
      connection: resolved && { settings: resolved.settings, clientSecret: resolved.clientSecret },
      ...(this.#options.retention ? { retention: this.#options.retention } : {}),
      ...(this.#options.shutdownTimeoutMs === undefined
        ? {}
        : { shutdownTimeoutMs: this.#options.shutdownTimeoutMs }),
    })
    return { workstation, core: this.#options.createCore(workstation, this) }
  }

  async #closeCurrent(): Promise<void> {
    const current = this.#current
    this.#current = null
    if (!current) return
    current.core.dispose()
    await current.workstation.close()
  }

  /** Tells the page: the setup changed, and (after a switch) connectivity and the worklist did too. */
  async #announce(switched: boolean): Promise<void> {
    const emit = this.#options.emit
    try {
      emit('connectionSetupChanged', await this.getConnectionSetup())
      if (!switched) return
      emit('connectivityChanged', await this.core.getConnectivity())
      emit('worklistStale', { reason: 'connection-changed' })
    } catch (error) {
      this.#logger.error('the connection change could not be announced', { error })
    }
  }

  /**
   * The secret to use: the one typed, else the environment's or the stored one — but those only for
   * the token URL, client id and API base URL they belong to. Otherwise a changed form (or a
   * compromised page) could have main send the stored secret, or the bearer token it buys, to any
   * server it names.
   */
  async #secretFor(
    typed: string | undefined,
    target: Pick<ConnectionSettings, 'tokenUrl' | 'clientId' | 'apiBaseUrl'>,
  ): Promise<string> {
    if (typed !== undefined) return typed
    const envSecret = this.#options.env[CLIENT_SECRET_VARIABLE]
    // The environment's secret belongs to the environment's connection; the vault's to what it was typed for.
    const owner = envSecret
      ? resolveConnection(this.#options.env, this.#saved)?.settings
      : this.#saved?.secretFor
    const sameTarget =
      owner?.tokenUrl === target.tokenUrl &&
      owner.clientId === target.clientId &&
      owner.apiBaseUrl === target.apiBaseUrl
    const secret = sameTarget ? envSecret || (await this.#options.vault.getSecret(SECRET)) : null
    if (secret) return secret
    throw new ContractError(
      'validation',
      owner && !sameTarget
        ? 'clientSecret: enter the client secret again; it is only used with the token URL, client id and API base URL it was saved for'
        : 'clientSecret: enter the client secret QUBS gave you',
    )
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.catch(() => undefined).then(work)
    this.#queue = run
    return run
  }

  #need(): Current {
    if (!this.#current)
      throw new ContractError('unavailable', 'the workstation is being re-opened; try again')
    return this.#current
  }
}
