import { randomBytes } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { writeFileDurably } from '../../common/durable-file'
import { parseJsonText } from '../../common/json-text'
import { VaultError, type SecretName, type Vault } from './vault'

/**
 * A vault kept in one JSON file whose values are sealed by the operating system's keystore (Electron's
 * safeStorage: DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux). The sealing itself is
 * a port, so this logic runs and is tested under plain Node; `src-main/electron` supplies the real one.
 */
export interface SealPort {
  /** 'os' when a real keystore protects the key; 'weak' when it is a fixed, well-known password. */
  readonly strength: 'os' | 'weak'
  seal(plain: string): Promise<Buffer>
  unseal(sealed: Buffer): Promise<string>
  /**
   * Where the keystore rotates keys (Electron's async safeStorage: `shouldReEncrypt`): the value and
   * whether it was sealed under an older key and should be sealed again. Preferred over `unseal`.
   */
  unsealChecked?(sealed: Buffer): Promise<{ readonly value: string; readonly shouldReseal: boolean }>
}

/** Where a sealed value lives in the vault file, so an upgraded sealing can be written back. */
type SealedSlot = { readonly kind: 'dataKey' } | { readonly kind: 'secret'; readonly name: string }

const VaultFileSchema = z.object({
  version: z.literal(1),
  dataKey: z.string().min(1),
  /** How strongly the data key was sealed when it was made (absent in early files: unknown, so weak). */
  dataKeyStrength: z.enum(['os', 'weak']).optional(),
  secrets: z.record(z.string(), z.string()),
})
type VaultFile = z.infer<typeof VaultFileSchema>

export class SealedFileVault implements Vault {
  readonly #path: string
  readonly #seal: SealPort
  #file: Promise<VaultFile> | undefined

  constructor(path: string, seal: SealPort) {
    this.#path = path
    this.#seal = seal
  }

  async getSecret(name: SecretName): Promise<string | null> {
    const sealed = (await this.#load()).secrets[name]
    return sealed === undefined ? null : this.#unseal(sealed, { kind: 'secret', name })
  }

  async setSecret(name: SecretName, value: string): Promise<void> {
    const file = await this.#load()
    const sealed = (await this.#seal.seal(value)).toString('base64')
    await this.#save({ ...file, secrets: { ...file.secrets, [name]: sealed } })
  }

  async deleteSecret(name: SecretName): Promise<void> {
    const file = await this.#load()
    const secrets = { ...file.secrets }
    delete secrets[name]
    await this.#save({ ...file, secrets })
  }

  /**
   * Whether the data key was sealed under the OS keystore. A key first sealed under a fixed password
   * (Linux without a keyring) stays readable to anyone even after a keyring appears.
   */
  async dataKeyStrength(): Promise<'os' | 'weak'> {
    return (await this.#load()).dataKeyStrength ?? 'weak'
  }

  async getDataKey(): Promise<Buffer> {
    const key = Buffer.from(await this.#unseal((await this.#load()).dataKey, { kind: 'dataKey' }), 'hex')
    if (key.length !== 32) throw new VaultError('the vault holds a data key of the wrong size')
    return key
  }

  async #unseal(sealed: string, slot: SealedSlot): Promise<string> {
    let opened: { readonly value: string; readonly shouldReseal: boolean }
    try {
      const bytes = Buffer.from(sealed, 'base64')
      opened = this.#seal.unsealChecked
        ? await this.#seal.unsealChecked(bytes)
        : { value: await this.#seal.unseal(bytes), shouldReseal: false }
    } catch {
      throw new VaultError(
        'the keystore could not unseal the vault (was it moved from another user or machine?)',
      )
    }
    if (opened.shouldReseal) await this.#reseal(slot, sealed, opened.value)
    return opened.value
  }

  /**
   * Seals a value again under the keystore's current key. Best effort: the old sealing still opens, so
   * a failure here must not fail the read; the next read tries again. The recorded data-key strength
   * is kept — a key once sealed under a weak keystore stays weak, however it is sealed now.
   */
  async #reseal(slot: SealedSlot, previous: string, value: string): Promise<void> {
    try {
      const resealed = (await this.#seal.seal(value)).toString('base64')
      const file = await this.#load()
      if (slot.kind === 'dataKey') {
        if (file.dataKey === previous) await this.#save({ ...file, dataKey: resealed })
      } else if (file.secrets[slot.name] === previous) {
        await this.#save({ ...file, secrets: { ...file.secrets, [slot.name]: resealed } })
      }
    } catch {
      // Left as it was: still readable under the older key.
    }
  }

  #load(): Promise<VaultFile> {
    this.#file ??= this.#read().catch((error: unknown) => {
      this.#file = undefined
      throw error
    })
    return this.#file
  }

  async #read(): Promise<VaultFile> {
    let text: string
    try {
      text = await readFile(this.#path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      // First start: a fresh data key, sealed, written before anything is encrypted with it.
      const created: VaultFile = {
        version: 1,
        dataKey: (await this.#seal.seal(randomBytes(32).toString('hex'))).toString('base64'),
        dataKeyStrength: this.#seal.strength,
        secrets: {},
      }
      await this.#save(created)
      return created
    }
    const parsed = VaultFileSchema.safeParse(parseJsonText(text))
    if (!parsed.success) throw new VaultError(`the vault file ${this.#path} is damaged`)
    return parsed.data
  }

  /** Written durably (temporary file, fsync, rename, directory fsync): the vault is never half-written. */
  async #save(file: VaultFile): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 })
    await writeFileDurably(this.#path, JSON.stringify(file))
    this.#file = Promise.resolve(file)
  }
}
