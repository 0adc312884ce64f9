import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { KeyFileVault } from '../../../src-main/core/vault/key-file-vault'

describe('KeyFileVault', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-vault-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('creates a 32-byte key file with mode 0600 on first use and reads the same key afterwards', async () => {
    const keyFile = join(dir, 'config', 'data.key')
    const first = await new KeyFileVault({ keyFile }).getDataKey()
    expect(first).toHaveLength(32)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(await new KeyFileVault({ keyFile }).getDataKey()).toEqual(first)
  })

  it('agrees on one key when two processes create it at once', async () => {
    const keyFile = join(dir, 'data.key')
    const [a, b] = await Promise.all([
      new KeyFileVault({ keyFile }).getDataKey(),
      new KeyFileVault({ keyFile }).getDataKey(),
    ])
    expect(a).toEqual(b)
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex')).toEqual(a)
  })

  it('takes the key from QUBS_DATA_KEY text in hex or base64', async () => {
    const key = Buffer.alloc(32, 9)
    const keyFile = join(dir, 'unused.key')
    expect(await new KeyFileVault({ keyFile, dataKeyText: key.toString('hex') }).getDataKey()).toEqual(key)
    expect(await new KeyFileVault({ keyFile, dataKeyText: key.toString('base64') }).getDataKey()).toEqual(key)
    expect(() => statSync(keyFile)).toThrow()
  })

  it('refuses a key of the wrong size without echoing it', async () => {
    const error = await new KeyFileVault({ keyFile: join(dir, 'k'), dataKeyText: 'c2hvcnQ=' })
      .getDataKey()
      .then(
        () => new Error('resolved'),
        (e: unknown) => e as Error,
      )
    expect(error.message).toMatch(/32-byte key/)
    expect(error.message).not.toContain('c2hvcnQ')
  })

  it('refuses a key file that others can read', async () => {
    const keyFile = join(dir, 'open.key')
    writeFileSync(keyFile, Buffer.alloc(32, 1).toString('hex'))
    chmodSync(keyFile, 0o644)
    await expect(new KeyFileVault({ keyFile }).getDataKey()).rejects.toThrow(/readable by others/)
  })

  it('holds secrets in memory only', async () => {
    const vault = new KeyFileVault({ keyFile: join(dir, 'k'), secrets: { 'qubs.clientSecret': 's' } })
    expect(await vault.getSecret('qubs.clientSecret')).toBe('s')
    await vault.deleteSecret('qubs.clientSecret')
    expect(await vault.getSecret('qubs.clientSecret')).toBeNull()
  })
})
