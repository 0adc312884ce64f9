/**
 * AES-256-GCM for everything PHI the renderer keeps in IndexedDB (design §3: IndexedDB is plaintext on
 * disk). The key comes from main (`getCacheKey`), is imported non-extractable and the raw bytes are
 * zeroed at once. Each record is bound to where it lives through the additional authenticated data
 * (table and row key): a record copied into another row — another patient — fails to open instead of
 * showing the wrong patient's data.
 */
export interface SealedRecord {
  /** 12 random bytes, fresh for every seal. */
  readonly iv: Uint8Array
  readonly data: Uint8Array
}

export interface RecordCipher {
  /** Identifies the key: rows sealed under another key id are unreadable and get dropped. */
  readonly keyId: string
  sealJson(aad: string, value: unknown): Promise<SealedRecord>
  openJson(aad: string, sealed: SealedRecord): Promise<unknown>
  sealBytes(aad: string, bytes: Uint8Array): Promise<SealedRecord>
  openBytes(aad: string, sealed: SealedRecord): Promise<Uint8Array>
}

export class CacheDecryptError extends Error {
  constructor() {
    super('A cached record could not be decrypted (another key, or damaged); it will be fetched again.')
    this.name = 'CacheDecryptError'
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export async function createRecordCipher(keyId: string, rawKey: Uint8Array): Promise<RecordCipher> {
  if (rawKey.byteLength !== 32) throw new Error('the cache key must be 32 bytes')
  const key = await crypto.subtle.importKey('raw', new Uint8Array(rawKey), { name: 'AES-GCM' }, false, [
    'encrypt',
    'decrypt',
  ])
  rawKey.fill(0)

  const seal = async (aad: string, plain: Uint8Array): Promise<SealedRecord> => {
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const data = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(aad) },
      key,
      new Uint8Array(plain),
    )
    return { iv, data: new Uint8Array(data) }
  }
  const open = async (aad: string, sealed: SealedRecord): Promise<Uint8Array> => {
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: new Uint8Array(sealed.iv), additionalData: encoder.encode(aad) },
        key,
        new Uint8Array(sealed.data),
      )
      return new Uint8Array(plain)
    } catch {
      throw new CacheDecryptError()
    }
  }

  return Object.freeze({
    keyId,
    sealJson: (aad: string, value: unknown) => seal(aad, encoder.encode(JSON.stringify(value))),
    openJson: async (aad: string, sealed: SealedRecord) =>
      JSON.parse(decoder.decode(await open(aad, sealed))) as unknown,
    sealBytes: seal,
    openBytes: open,
  })
}
