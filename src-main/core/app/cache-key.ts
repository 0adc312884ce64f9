import { z } from 'zod'
import type { CacheKey } from '../../../src-preload/contract'
import type { Random } from '../../common/clock'
import type { Logger } from '../../common/logger'
import type { Vault } from '../vault/vault'
import { randomBytes } from 'node:crypto'

/**
 * The key of the renderer's encrypted offline copy. It lives in the vault (OS keystore in the app)
 * under its own secret name, is created on first use and is stable across restarts, so the cache
 * written yesterday opens today. Its id changes only when the key is replaced: rows the renderer
 * encrypted under another id are then unreadable and are dropped by it.
 */
export const CACHE_KEY_SECRET = 'renderer.cacheKey' as const

const StoredCacheKeySchema = z.object({
  v: z.literal(1),
  keyId: z.string().min(1).max(64),
  key: z.base64().refine((text) => Buffer.from(text, 'base64').byteLength === 32),
})

export interface CacheKeyStoreOptions {
  readonly vault: Pick<Vault, 'getSecret' | 'setSecret'>
  readonly random: Random
  readonly logger: Logger
}

export class CacheKeyStore {
  readonly #options: Readonly<CacheKeyStoreOptions>
  #loading: Promise<CacheKey> | null = null

  constructor(options: Readonly<CacheKeyStoreOptions>) {
    this.#options = options
  }

  /** The key (created and stored on first use); concurrent first calls share one creation. */
  get(): Promise<CacheKey> {
    this.#loading ??= this.#load().catch((error: unknown) => {
      this.#loading = null
      throw error
    })
    // A fresh copy per caller: the renderer's transport may detach or wipe what it is given.
    return this.#loading.then((key) => ({ keyId: key.keyId, rawKey: new Uint8Array(key.rawKey) }))
  }

  /**
   * Replaces the key with a new one (wipe of local data): every row the renderer sealed under the old
   * key id is unreadable from now on, and the renderer clears its tables when it sees the new id.
   */
  async replace(): Promise<void> {
    const replacing = this.#loading?.catch(() => undefined).then(() => this.#create()) ?? this.#create()
    this.#loading = replacing
    await replacing.catch((error: unknown) => {
      this.#loading = null
      throw error
    })
  }

  async #load(): Promise<CacheKey> {
    const { vault, logger } = this.#options
    const stored = await vault.getSecret(CACHE_KEY_SECRET)
    if (stored !== null) {
      const parsed = parseStored(stored)
      if (parsed) return parsed
      // An unreadable key cannot decrypt anything: replace it, and the renderer drops the old rows.
      logger.warn('cache key in the vault is unreadable; making a new one', { reason: 'invalid format' })
    }
    return this.#create()
  }

  async #create(): Promise<CacheKey> {
    const { vault, random, logger } = this.#options
    const key: CacheKey = { keyId: random.uuid(), rawKey: new Uint8Array(randomBytes(32)) }
    await vault.setSecret(
      CACHE_KEY_SECRET,
      JSON.stringify({ v: 1, keyId: key.keyId, key: Buffer.from(key.rawKey).toString('base64') }),
    )
    logger.info('cache key created', { state: 'new' })
    return key
  }
}

function parseStored(text: string): CacheKey | null {
  try {
    const parsed = StoredCacheKeySchema.safeParse(JSON.parse(text))
    if (!parsed.success) return null
    return { keyId: parsed.data.keyId, rawKey: new Uint8Array(Buffer.from(parsed.data.key, 'base64')) }
  } catch {
    return null
  }
}
