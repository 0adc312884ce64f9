import type { ApiMethods, AppInfo, Connectivity } from '../../src-preload/contract'
import type { Logger } from '../common/logger'

/**
 * Implements the contract's capabilities on top of the core services. Electron-free: the Electron IPC
 * binding, the browser harness and tests all drive this same object through the contract dispatcher.
 * It grows a capability at a time as the services behind it land.
 */
export interface AppCoreOptions {
  readonly name: string
  readonly version: string
  readonly mode: AppInfo['mode']
  readonly runtime: AppInfo['runtime']
  readonly logger: Logger
}

export class AppCore implements ApiMethods {
  readonly #options: Readonly<AppCoreOptions>
  #connectivity: Connectivity = { state: 'unknown', lastSuccessAt: null }

  constructor(options: Readonly<AppCoreOptions>) {
    this.#options = options
  }

  getAppInfo = async (): Promise<AppInfo> => ({
    name: this.#options.name,
    version: this.#options.version,
    mode: this.#options.mode,
    runtime: this.#options.runtime,
  })

  getConnectivity = async (): Promise<Connectivity> => this.#connectivity
}
