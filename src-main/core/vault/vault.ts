/**
 * The vault port: where the core gets secrets (the QUBS client secret) and the key that encrypts PHI
 * at rest. Electron backs it with safeStorage, the CLI with a key file or QUBS_DATA_KEY, tests with
 * memory. Nothing read from the vault is ever logged or sent over IPC.
 */
export interface Vault {
  /** A stored secret by name, or null when none is stored. */
  getSecret(name: SecretName): Promise<string | null>
  setSecret(name: SecretName, value: string): Promise<void>
  deleteSecret(name: SecretName): Promise<void>
  /** The 32-byte data-at-rest key; created on first use and stable afterwards. */
  getDataKey(): Promise<Buffer>
}

/**
 * `qubs.clientSecret`: the QUBS client secret. `renderer.cacheKey`: the key of the renderer's
 * encrypted offline copy (IndexedDB), with its id (see core/app/cache-key.ts).
 */
export type SecretName = 'qubs.clientSecret' | 'renderer.cacheKey'

export class VaultError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'VaultError'
  }
}

/** Where a vault's data-at-rest key comes from. */
export type DataKeySource = Pick<Vault, 'getDataKey'>

/**
 * Secrets kept in memory over a data key from elsewhere. The one in-memory secret store: demo mode
 * keeps the sandbox's secret here so it can never overwrite a real QUBS secret in the workstation's
 * vault, and the memory and key-file vaults build on it.
 */
export class MemorySecretsVault implements Vault {
  readonly #keys: DataKeySource
  readonly #secrets: Map<SecretName, string>

  constructor(keys: DataKeySource, secrets: Readonly<Partial<Record<SecretName, string>>> = {}) {
    this.#keys = keys
    this.#secrets = new Map(Object.entries(secrets) as [SecretName, string][])
  }

  async getSecret(name: SecretName): Promise<string | null> {
    return this.#secrets.get(name) ?? null
  }

  async setSecret(name: SecretName, value: string): Promise<void> {
    this.#secrets.set(name, value)
  }

  async deleteSecret(name: SecretName): Promise<void> {
    this.#secrets.delete(name)
  }

  getDataKey(): Promise<Buffer> {
    return this.#keys.getDataKey()
  }
}

/** An in-memory vault with a fixed data key, for tests and for demo mode, where nothing secret is at stake. */
export class MemoryVault extends MemorySecretsVault {
  constructor(dataKey: Buffer = Buffer.alloc(32, 7)) {
    if (dataKey.length !== 32) throw new VaultError('the data key must be 32 bytes')
    const key = Buffer.from(dataKey)
    super({ getDataKey: async () => Buffer.from(key) })
  }
}
