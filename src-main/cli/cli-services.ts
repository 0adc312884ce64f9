import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { systemClock, type Clock } from '../common/clock'
import { fileSink } from '../common/file-sink'
import { createLogger, type Logger } from '../common/logger'
import { parseConnectionSettings, QubsClient, type ConnectionSettings } from '../core/api'
import { Outbox, OutboxOpenError } from '../core/outbox'
import { OUTBOX_FILE } from '../core/reporter-services'
import { SyncEngine } from '../core/sync'
import { KeyFileVault } from '../core/vault/key-file-vault'
import { CliError, EXIT, usageError } from './cli-error'
import { missingConnectionOptions, type GlobalOptions } from './global-options'
import { describeFileError } from './input-files'
import { describeHolder, removeLockInfo, writeLockInfo } from './outbox-lock-info'

export interface CliServicesOptions {
  /** The command being run, for the note that tells another process who holds the outbox. */
  readonly commandName: string
  readonly clock?: Clock
}

/**
 * The core services a command needs, built on first use from the global options: the vault (key
 * file or QUBS_DATA_KEY), the outbox in the data directory, the QUBS client and the sync engine.
 * Everything is the same code the app runs; the CLI only wires it.
 */
export class CliServices {
  readonly options: GlobalOptions
  readonly logger: Logger
  readonly #commandName: string
  readonly #clock: Clock
  readonly #outboxPath: string
  #vault: KeyFileVault | undefined
  #outbox: Promise<Outbox> | undefined
  #client: QubsClient | undefined
  #sync: Promise<SyncEngine> | undefined

  constructor(options: GlobalOptions, wiring: Readonly<CliServicesOptions>) {
    this.options = options
    this.#commandName = wiring.commandName
    this.#clock = wiring.clock ?? systemClock
    this.#outboxPath = join(options.dataDir, OUTBOX_FILE)
    try {
      mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
    } catch (error) {
      throw usageError(`--data-dir: ${describeFileError(error, 'write')}`)
    }
    this.logger = createLogger('cli', { sink: fileSink(join(options.dataDir, 'logs', 'cli.log')) })
  }

  get vault(): KeyFileVault {
    this.#vault ??= new KeyFileVault({
      keyFile: this.options.keyFile,
      dataKeyText: this.options.dataKeyText,
      secrets: this.options.clientSecret ? { 'qubs.clientSecret': this.options.clientSecret } : {},
    })
    return this.#vault
  }

  /** Whether every connection setting is present (the sync after an enqueue is skipped otherwise). */
  get canConnect(): boolean {
    return missingConnectionOptions(this.options).length === 0
  }

  outbox(): Promise<Outbox> {
    this.#outbox ??= this.#openOutbox()
    return this.#outbox
  }

  async #openOutbox(): Promise<Outbox> {
    const { dataDir, keyFile, dataKeyText } = this.options
    // A new key for an existing outbox would only make it unreadable: a wrong --key-file path must
    // not look like a first start.
    if (dataKeyText === undefined && !existsSync(keyFile) && existsSync(this.#outboxPath)) {
      throw usageError(
        `the outbox in ${dataDir} exists but the key file ${keyFile} does not: point --key-file (or QUBS_KEY_FILE) ` +
          'at the key it was created with, or set QUBS_DATA_KEY; no new key was made',
      )
    }
    let outbox: Outbox
    try {
      outbox = await Outbox.open({
        path: this.#outboxPath,
        vault: this.vault,
        logger: this.logger,
        // The CLI is always a configured workstation: it refuses a demo data directory (wrong-mode).
        mode: 'configured',
        // Binding needs the URLs, the client id and the domains, not the secret.
        connection: this.#canBind() ? this.#settings() : null,
      })
    } catch (error) {
      throw await explainOpenFailure(error, dataDir, this.#outboxPath)
    }
    writeLockInfo(this.#outboxPath, {
      pid: process.pid,
      command: `qubs-reporter ${this.#commandName}`,
      since: new Date(this.#clock.now()).toISOString(),
    })
    return outbox
  }

  client(): QubsClient {
    if (this.#client) return this.#client
    const missing = missingConnectionOptions(this.options)
    if (missing.length > 0)
      throw usageError(`missing connection settings: ${missing.join(', ')} (or their QUBS_* variables)`)
    this.#client = new QubsClient({ settings: this.#settings(), vault: this.vault, logger: this.logger })
    return this.#client
  }

  #canBind(): boolean {
    return missingConnectionOptions(this.options).every((flag) => flag === '--client-secret')
  }

  /** The connection from the global options; the outbox binds entries to it and the client uses it. */
  #settings(): ConnectionSettings {
    return parseConnectionSettings({
      tokenUrl: this.options.tokenUrl,
      apiBaseUrl: this.options.apiBaseUrl,
      clientId: this.options.clientId,
      domains: this.options.domains,
    })
  }

  sync(): Promise<SyncEngine> {
    this.#sync ??= this.outbox().then((outbox) => {
      const client = this.client()
      const engine = new SyncEngine({ outbox, delivery: client, logger: this.logger })
      // Every call with QUBS, not only deliveries, tells the engine's connectivity (as in the app).
      client.onOutcome((outcome) => engine.recordOutcome(outcome))
      return engine
    })
    return this.#sync
  }

  /** Stops the engine (in-flight work stays `sending` for the next run), closes the client and the database. */
  async close(): Promise<void> {
    const engine = await this.#sync?.catch(() => undefined)
    await engine?.stop()
    if (this.#client) await this.#client.close()
    if (this.#outbox) {
      const outbox = await this.#outbox.catch(() => undefined)
      if (outbox) {
        outbox.close()
        removeLockInfo(this.#outboxPath, process.pid)
      }
    }
  }
}

/** The outbox's own start-up refusals, in words that say what to do. */
async function explainOpenFailure(error: unknown, dataDir: string, outboxPath: string): Promise<unknown> {
  if (!(error instanceof OutboxOpenError)) return error
  switch (error.code) {
    case 'busy':
      return new CliError(EXIT.failed, await describeHolder({ outboxPath }))
    case 'wrong-key':
      return usageError(
        `the outbox in ${dataDir} was written with another data key: use the key it was created with ` +
          '(--key-file / QUBS_KEY_FILE, or QUBS_DATA_KEY); to start over without its entries, move the data directory aside',
      )
    default:
      return new CliError(
        EXIT.failed,
        `the outbox in ${dataDir} cannot be opened (${error.code}): ${error.message}`,
      )
  }
}
