import type { ApiMethods, AppInfo, Connectivity, EventPayload } from '../../src-preload/contract'
import type { EventName } from '../../src-preload/contract/channels'
import type { Logger } from '../common/logger'
import type { ReporterServices } from './reporter-services'
import type { ConnectivityState } from './sync'

/**
 * Implements the contract's capabilities on top of the core services. Electron-free: the Electron IPC
 * binding, the browser harness and tests all drive this same object through the contract dispatcher,
 * and it pushes events through whatever `emit` the host supplies. It grows a capability at a time as
 * the features behind it land.
 */
export type EmitEvent = <K extends EventName>(event: K, payload: EventPayload<K>) => void

export interface AppCoreOptions {
  readonly name: string
  readonly version: string
  readonly mode: AppInfo['mode']
  readonly runtime: AppInfo['runtime']
  readonly logger: Logger
  /** Null only where no core is wired (tests of the shell alone). */
  readonly services: ReporterServices | null
  readonly emit?: EmitEvent
}

export class AppCore implements ApiMethods {
  readonly #options: Readonly<AppCoreOptions>
  readonly #unsubscribe: () => void

  constructor(options: Readonly<AppCoreOptions>) {
    this.#options = options
    const sync = options.services?.sync
    this.#unsubscribe =
      sync && options.emit
        ? sync.on('connectivity', (state) => options.emit?.('connectivityChanged', toContract(state)))
        : () => undefined
  }

  getAppInfo = async (): Promise<AppInfo> => ({
    name: this.#options.name,
    version: this.#options.version,
    mode: this.#options.mode,
    runtime: this.#options.runtime,
  })

  getConnectivity = async (): Promise<Connectivity> => {
    const sync = this.#options.services?.sync
    return sync
      ? toContract(sync.connectivity)
      : { state: 'unknown', lastSuccessAt: null, lastAttemptAt: null }
  }

  /** Stops forwarding events; the host closes the services themselves. */
  dispose(): void {
    this.#unsubscribe()
  }
}

function toContract(state: ConnectivityState): Connectivity {
  return {
    state: state.state,
    lastSuccessAt: isoOrNull(state.lastSuccessAt),
    lastAttemptAt: isoOrNull(state.lastAttemptAt),
    ...(state.detail === undefined ? {} : { detail: state.detail }),
  }
}

function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null || epochMs < 0 ? null : new Date(epochMs).toISOString()
}
