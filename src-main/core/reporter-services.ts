import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock, Random } from '../common/clock'
import type { Logger } from '../common/logger'
import { QubsClient, type ConnectionSettings, type QubsClientOptions } from './api'
import { Outbox, type RetentionSource, type WorkstationMode } from './outbox'
import { SyncEngine } from './sync'
import type { Vault } from './vault/vault'

/**
 * The core services of one workstation, wired the same way for the Electron app, the browser harness
 * and the CLI: the outbox in the data directory, and — when a connection is configured — the QUBS
 * client and the sync engine that drains the outbox through it. Without a connection the outbox can be
 * read, exported and resolved, but takes no submissions (an entry must be bound to its connection).
 */
export const OUTBOX_FILE = 'outbox.sqlite'

export interface ReporterServicesOptions {
  readonly dataDir: string
  readonly vault: Vault
  /** Null when no QUBS connection is configured. The client secret comes from the vault. */
  readonly connection: ConnectionSettings | null
  /**
   * What the outbox binds entries to; defaults to `connection`. Demo mode gives a stable identity, since
   * the in-process sandbox listens on another port at every start.
   */
  readonly bindingIdentity?: ConnectionSettings
  /** Demo and configured workstations never share an outbox (see `Outbox.open`). Default `configured`. */
  readonly mode?: WorkstationMode
  readonly logger: Logger
  readonly clock?: Clock
  readonly random?: Random
  /** Retry and timeout overrides for the client (tests that go offline want to find out fast). */
  readonly clientTuning?: Readonly<Pick<QubsClientOptions, 'retry' | 'timeouts'>>
  /**
   * How long close() waits for deliveries to end and then for the client's connections, each: what is
   * still in flight after that is parked (entries stay `sending`, resumed by the next start with the
   * same key) so that the app and the CLI always exit. Default 3 s.
   */
  readonly shutdownTimeoutMs?: number
  /** The outbox's PHI retention, applied by the sync engine's housekeeping (see outbox/retention.ts). */
  readonly retention?: RetentionSource
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
      connection: options.bindingIdentity ?? options.connection,
      ...optional('mode', options.mode),
      ...ports,
    })
    if (!options.connection) return new ReporterServices(options.dataDir, outbox, null, null)
    const bound = options.shutdownTimeoutMs
    const client = new QubsClient({
      settings: options.connection,
      vault: options.vault,
      ...ports,
      ...options.clientTuning,
      ...optional('closeTimeoutMs', bound),
    })
    const sync = new SyncEngine({
      outbox,
      delivery: client,
      ...ports,
      ...optional('stopTimeoutMs', bound),
      ...optional('retention', options.retention),
    })
    // Every call with QUBS (worklist reads too, not only deliveries) tells the engine's connectivity.
    client.onOutcome((outcome) => sync.recordOutcome(outcome))
    return new ReporterServices(options.dataDir, outbox, client, sync)
  }

  /**
   * Stops the engine (in-flight entries stay `sending` for the next start), then closes the rest; each
   * step bounds its own wait (`shutdownTimeoutMs`), so this always returns.
   */
  async close(): Promise<void> {
    await this.sync?.stop()
    await this.client?.close()
    this.outbox.close()
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>)
}
