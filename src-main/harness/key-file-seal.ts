import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import type { DataKeySource } from '../core/vault/vault'
import type { SealPort } from '../core/vault/sealed-file-vault'

/**
 * The harness has no OS keystore, yet the renderer's cache key must survive a harness restart (with
 * `--data-dir`, the offline copy in the browser profile is meant to open again). This seals the
 * harness's secrets file with AES-256-GCM under a key derived (HKDF) from the harness's key file: as
 * strong as that 0600 file, which is why it calls itself `weak` — it is not an OS keystore.
 *
 * Layout: IV (12) | tag (16) | ciphertext.
 */
const HKDF_INFO = 'qubs-reporter/harness/secrets-seal/v1'
const IV_BYTES = 12
const TAG_BYTES = 16

export function keyFileSeal(keys: DataKeySource): SealPort {
  let key: Promise<Buffer> | undefined
  const sealKey = () => {
    key ??= keys.getDataKey().then((dataKey) => {
      const derived = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), HKDF_INFO, 32))
      dataKey.fill(0)
      return derived
    })
    return key
  }
  return {
    strength: 'weak',
    async seal(plain) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', await sealKey(), iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    async unseal(sealed) {
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short')
      const decipher = createDecipheriv('aes-256-gcm', await sealKey(), sealed.subarray(0, IV_BYTES))
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
      return Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8')
    },
  }
}
