import { randomBytes } from 'node:crypto'
import { link, mkdir, open, readFile, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { syncDirectory } from '../../common/durable-file'
import { VaultError, type SecretName, type Vault } from './vault'

/**
 * The headless vault (CLI, harness): there is no OS keystore, so the data-at-rest key comes from
 * `QUBS_DATA_KEY` (64 hex characters or base64 of 32 bytes) or from a key file kept outside the data
 * directory with mode 0600, created on first use. Secrets (the client secret) are held in memory only:
 * the CLI reads them from its flags or environment on every run.
 */
export interface KeyFileVaultOptions {
  /** The key file's path; ignored when `dataKeyText` is given. */
  readonly keyFile: string
  /** The key as text, from QUBS_DATA_KEY. */
  readonly dataKeyText?: string | undefined
  readonly secrets?: Readonly<Partial<Record<SecretName, string>>>
}

export class KeyFileVault implements Vault {
  readonly #options: Readonly<KeyFileVaultOptions>
  readonly #secrets: Map<SecretName, string>
  #key: Promise<Buffer> | undefined

  constructor(options: Readonly<KeyFileVaultOptions>) {
    this.#options = options
    this.#secrets = new Map(Object.entries(options.secrets ?? {}) as [SecretName, string][])
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
    this.#key ??= this.#loadKey()
    return this.#key.then((key) => Buffer.from(key))
  }

  async #loadKey(): Promise<Buffer> {
    if (this.#options.dataKeyText !== undefined)
      return parseKeyText(this.#options.dataKeyText, 'QUBS_DATA_KEY')
    const path = this.#options.keyFile
    try {
      const info = await stat(path)
      if ((info.mode & 0o077) !== 0) {
        throw new VaultError(
          `the key file ${path} is readable by others (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
        )
      }
      return parseKeyText(await readFile(path, 'utf8'), path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    return createKeyFile(path)
  }
}

async function createKeyFile(path: string): Promise<Buffer> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  // Written whole to a private temporary file and fsynced, then linked into place: link() fails if
  // another process created the key meanwhile (its key wins), and a crash never leaves a short file.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const handle = await open(temporary, 'wx', 0o600)
  try {
    await handle.writeFile(`${key.toString('hex')}\n`)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await link(temporary, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return parseKeyText(await readFile(path, 'utf8'), path)
    throw error
  } finally {
    await rm(temporary, { force: true })
  }
  // Without the directory entry on disk, a power cut could keep the outbox but lose its key.
  await syncDirectory(dirname(path))
  return key
}

function parseKeyText(text: string, source: string): Buffer {
  const trimmed = text.trim()
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  if (key.length !== 32)
    throw new VaultError(`${source} does not hold a 32-byte key (64 hex characters or base64)`)
  return key
}
