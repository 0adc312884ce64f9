import { randomBytes } from 'node:crypto'
import { link, mkdir, open, readFile, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { syncDirectory } from '../../common/durable-file'
import { MemorySecretsVault, VaultError, type SecretName } from './vault'

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

export class KeyFileVault extends MemorySecretsVault {
  constructor(options: Readonly<KeyFileVaultOptions>) {
    let key: Promise<Buffer> | undefined
    super(
      {
        getDataKey: () => {
          key ??= loadKey(options)
          return key.then((loaded) => Buffer.from(loaded))
        },
      },
      options.secrets,
    )
  }
}

async function loadKey(options: Readonly<KeyFileVaultOptions>): Promise<Buffer> {
  if (options.dataKeyText !== undefined) return parseKeyText(options.dataKeyText, 'QUBS_DATA_KEY')
  const path = options.keyFile
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
