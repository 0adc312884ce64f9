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

export type SecretName = 'qubs.clientSecret'

export class VaultError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'VaultError'
  }
}

/** An in-memory vault for tests and for demo mode, where nothing secret is at stake. */
export class MemoryVault implements Vault {
  readonly #secrets = new Map<SecretName, string>()
  readonly #dataKey: Buffer

  constructor(dataKey: Buffer = Buffer.alloc(32, 7)) {
    if (dataKey.length !== 32) throw new VaultError('the data key must be 32 bytes')
    this.#dataKey = Buffer.from(dataKey)
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

  async getDataKey(): Promise<Buffer> {
    return Buffer.from(this.#dataKey)
  }
}

/**
 * Secrets kept in memory over another vault's data key: demo mode stores the sandbox's secret here so
 * it can never overwrite a real QUBS secret kept in the workstation's vault.
 */
export class MemorySecretsVault implements Vault {
  readonly #base: Vault
  readonly #secrets = new Map<SecretName, string>()

  constructor(base: Vault) {
    this.#base = base
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
    return this.#base.getDataKey()
  }
}
