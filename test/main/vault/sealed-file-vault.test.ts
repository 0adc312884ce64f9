import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SealedFileVault, type SealPort } from '../../../src-main/core/vault/sealed-file-vault'

/** A stand-in for the OS keystore: AES-GCM under a key only this "user" has. */
function fakeKeystore(key = randomBytes(32)): SealPort {
  return {
    strength: 'os',
    seal: async (plain) => {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    unseal: async (sealed) => {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
      decipher.setAuthTag(sealed.subarray(12, 28))
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

describe('SealedFileVault', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-sealed-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('creates a sealed 32-byte data key on first use and returns the same key after a restart', async () => {
    const keystore = fakeKeystore()
    const path = join(dir, 'vault.json')
    const key = await new SealedFileVault(path, keystore).getDataKey()
    expect(key).toHaveLength(32)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path, 'utf8')).not.toContain(key.toString('hex'))
    expect(await new SealedFileVault(path, keystore).getDataKey()).toEqual(key)
  })

  it('keeps secrets sealed on disk and forgets deleted ones', async () => {
    const keystore = fakeKeystore()
    const path = join(dir, 'vault.json')
    const vault = new SealedFileVault(path, keystore)
    await vault.setSecret('qubs.clientSecret', 'very-secret-value')
    expect(readFileSync(path, 'utf8')).not.toContain('very-secret-value')
    expect(await new SealedFileVault(path, keystore).getSecret('qubs.clientSecret')).toBe('very-secret-value')
    await vault.deleteSecret('qubs.clientSecret')
    expect(await new SealedFileVault(path, keystore).getSecret('qubs.clientSecret')).toBeNull()
  })

  it("says clearly when another user's keystore cannot unseal the vault", async () => {
    const path = join(dir, 'vault.json')
    await new SealedFileVault(path, fakeKeystore()).getDataKey()
    await expect(new SealedFileVault(path, fakeKeystore()).getDataKey()).rejects.toThrow(/could not unseal/)
  })

  it('refuses a damaged vault file instead of minting a new key over it', async () => {
    const path = join(dir, 'vault.json')
    writeFileSync(path, JSON.stringify({ version: 1, secrets: {} }))
    await expect(new SealedFileVault(path, fakeKeystore()).getDataKey()).rejects.toThrow(/damaged/)
  })

  it('remembers how strongly the data key was sealed when it was made', async () => {
    const strong = join(dir, 'strong.json')
    await new SealedFileVault(strong, fakeKeystore()).getDataKey()
    expect(await new SealedFileVault(strong, fakeKeystore()).dataKeyStrength()).toBe('os')
    const weakPath = join(dir, 'weak.json')
    const keystore = fakeKeystore()
    const weakSeal: SealPort = { ...keystore, strength: 'weak' }
    await new SealedFileVault(weakPath, weakSeal).getDataKey()
    // A keyring appearing later does not make a key sealed under the fixed password safe.
    expect(await new SealedFileVault(weakPath, keystore).dataKeyStrength()).toBe('weak')
  })
})
