import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileSink } from '../common/file-sink'
import { createLogger, type Logger } from '../common/logger'
import { parseConnectionSettings, QubsClient, type ConnectionSettings } from '../core/api'
import { Outbox } from '../core/outbox'
import { OUTBOX_FILE } from '../core/reporter-services'
import { SyncEngine } from '../core/sync'
import { KeyFileVault } from '../core/vault/key-file-vault'
import { usageError } from './cli-error'
import { missingConnectionOptions, type GlobalOptions } from './global-options'

/**
 * The core services a command needs, built on first use from the global options: the vault (key
 * file or QUBS_DATA_KEY), the outbox in the data directory, the QUBS client and the sync engine.
 * Everything is the same code the app runs; the CLI only wires it.
 */
export class CliServices {
  readonly options: GlobalOptions
  readonly logger: Logger
  #vault: KeyFileVault | undefined
  #outbox: Promise<Outbox> | undefined
  #client: QubsClient | undefined
  #sync: Promise<SyncEngine> | undefined

  constructor(options: GlobalOptions) {
    this.options = options
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
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
    this.#outbox ??= Outbox.open({
      path: join(this.options.dataDir, OUTBOX_FILE),
      vault: this.vault,
      logger: this.logger,
      // The CLI is always a configured workstation: it refuses a demo data directory (wrong-mode).
      mode: 'configured',
      // Binding needs the URLs, the client id and the domains, not the secret.
      connection: this.#canBind() ? this.#settings() : null,
    })
    return this.#outbox
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
    this.#sync ??= this.outbox().then(
      (outbox) => new SyncEngine({ outbox, delivery: this.client(), logger: this.logger }),
    )
    return this.#sync
  }

  /** Stops the engine (in-flight work stays `sending` for the next run), closes the client and the database. */
  async close(): Promise<void> {
    if (this.#sync) await (await this.#sync).stop()
    if (this.#client) await this.#client.close()
    if (this.#outbox) (await this.#outbox).close()
  }
}
