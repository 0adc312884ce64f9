import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock, Random } from '../common/clock'
import type { Logger } from '../common/logger'
import { QubsClient, type ConnectionSettings, type QubsClientOptions } from './api'
import { Outbox } from './outbox'
import { SyncEngine } from './sync'
import type { Vault } from './vault/vault'

/**
 * The core services of one workstation, wired the same way for the Electron app, the browser harness
 * and the CLI: the outbox in the data directory, and — when a connection is configured — the QUBS
 * client and the sync engine that drains the outbox through it. Without a connection the outbox still
 * takes submissions; they wait until one is configured.
 */
export const OUTBOX_FILE = 'outbox.sqlite'

export interface ReporterServicesOptions {
  readonly dataDir: string
  readonly vault: Vault
  /** Null when no QUBS connection is configured. The client secret comes from the vault. */
  readonly connection: ConnectionSettings | null
  readonly logger: Logger
  readonly clock?: Clock
  readonly random?: Random
  /** Retry and timeout overrides for the client (tests that go offline want to find out fast). */
  readonly clientTuning?: Readonly<Pick<QubsClientOptions, 'retry' | 'timeouts'>>
}

export class ReporterServices {
  /** Where the outbox lives; exports and other per-workstation files go beside it. */
  readonly dataDir: string
  readonly outbox: Outbox
  readonly client: QubsClient | null
  readonly sync: SyncEngine | null

  private constructor(dataDir: string, outbox: Outbox, client: QubsClient | null, sync: SyncEngine | null) {
    this.dataDir = dataDir
    this.outbox = outbox
    this.client = client
    this.sync = sync
  }

  static async open(options: Readonly<ReporterServicesOptions>): Promise<ReporterServices> {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
    const ports = {
      logger: options.logger,
      ...optional('clock', options.clock),
      ...optional('random', options.random),
    }
    const outbox = await Outbox.open({
      path: join(options.dataDir, OUTBOX_FILE),
      vault: options.vault,
      ...ports,
    })
    if (!options.connection) return new ReporterServices(options.dataDir, outbox, null, null)
    const client = new QubsClient({
      settings: options.connection,
      vault: options.vault,
      ...ports,
      ...options.clientTuning,
    })
    return new ReporterServices(
      options.dataDir,
      outbox,
      client,
      new SyncEngine({ outbox, delivery: client, ...ports }),
    )
  }

  /** Stops the engine (in-flight entries stay `sending` for the next start), then closes the rest. */
  async close(): Promise<void> {
    await this.sync?.stop()
    await this.client?.close()
    this.outbox.close()
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>)
}
