import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto'

/**
 * Encrypts the outbox's PHI columns (report and comment text, file names, attachment bytes) with
 * AES-256-GCM. Each value gets a fresh random 12-byte IV; the entry id and the column name are bound in
 * as additional authenticated data, so a ciphertext copied into another row or column fails its tag
 * check instead of decrypting as someone else's report.
 *
 * Layout of a stored value: version (1 byte) | IV (12) | tag (16) | ciphertext.
 *
 * The vault's data key is not used directly: an outbox-specific key is derived with HKDF so that the
 * same vault key can protect other stores without two of them ever sharing a GCM key.
 *
 * Both derived keys are imported once, as `KeyObject`s: given a Buffer, every `createCipheriv` and
 * `createHmac` imports the key again (≈ 5 % of an enqueue, issue 14), and the raw bytes need not stay
 * in a JS buffer at all.
 */
const FORMAT_VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES
const HKDF_INFO = 'qubs-reporter/outbox/column-key/v1'
const DIGEST_INFO = 'qubs-reporter/outbox/submission-digest/v1'

export class ColumnCipherError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ColumnCipherError'
  }
}

export class ColumnCipher {
  readonly #key: KeyObject
  readonly #digestKey: KeyObject

  constructor(dataKey: Uint8Array) {
    if (dataKey.byteLength !== 32) throw new ColumnCipherError('the data key must be 32 bytes')
    this.#key = importDerivedKey(dataKey, HKDF_INFO)
    this.#digestKey = importDerivedKey(dataKey, DIGEST_INFO)
  }

  /**
   * A keyed digest (HMAC-SHA256) of PHI, to compare two submissions without decrypting: keyed, so the
   * stored digest does not let anyone confirm a guessed report text.
   */
  digest(parts: readonly (string | Uint8Array)[]): Uint8Array {
    const hmac = createHmac('sha256', this.#digestKey)
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part
      // Length-prefixed, so ["ab", "c"] and ["a", "bc"] differ.
      hmac.update(`${bytes.byteLength}:`).update(bytes)
    }
    return hmac.digest()
  }

  encrypt(plaintext: Uint8Array, aad: string): Uint8Array {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(aad, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body])
  }

  /** Throws `ColumnCipherError` (no detail beyond a code) when the value is malformed or was tampered. */
  decrypt(stored: Uint8Array, aad: string): Buffer {
    const value = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength)
    if (value.length < HEADER_BYTES || value[0] !== FORMAT_VERSION) {
      throw new ColumnCipherError('encrypted value has an unknown format')
    }
    const iv = value.subarray(1, 1 + IV_BYTES)
    const tag = value.subarray(1 + IV_BYTES, HEADER_BYTES)
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(tag)
    try {
      return Buffer.concat([decipher.update(value.subarray(HEADER_BYTES)), decipher.final()])
    } catch {
      throw new ColumnCipherError('encrypted value failed its authentication check')
    }
  }

  encryptText(text: string, aad: string): Uint8Array {
    return this.encrypt(Buffer.from(text, 'utf8'), aad)
  }

  decryptText(stored: Uint8Array, aad: string): string {
    return this.decrypt(stored, aad).toString('utf8')
  }
}

/** An HKDF-SHA256 key for `info`, imported; the derived bytes are wiped once the key holds them. */
function importDerivedKey(dataKey: Uint8Array, info: string): KeyObject {
  const bytes = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32))
  try {
    return createSecretKey(bytes)
  } finally {
    bytes.fill(0)
  }
}

/** The AAD for a PHI column of an entry: binds the ciphertext to exactly that cell. */
export function columnAad(entryId: string, column: string): string {
  return `outbox-entry:${entryId}:${column}`
}
