import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { CacheKeyStore } from '../../../src-main/core/app/cache-key'
import { KeyFileVault } from '../../../src-main/core/vault/key-file-vault'
import { SealedFileVault } from '../../../src-main/core/vault/sealed-file-vault'
import { keyFileSeal } from '../../../src-main/harness/key-file-seal'
import { systemRandom } from '../../../src-main/common/clock'

/** The harness keeps the renderer's cache key across restarts, sealed under its key file. */
describe('harness secrets sealed under the key file', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  function harnessVault(home: string) {
    const keys = new KeyFileVault({ keyFile: join(home, 'harness.key') })
    return new SealedFileVault(join(home, 'harness-secrets.json'), keyFileSeal(keys))
  }
  const cacheKey = (home: string) =>
    new CacheKeyStore({ vault: harnessVault(home), random: systemRandom, logger: silentLogger }).get()

  it('hands out the same cache key after a restart, and never stores it in the clear', async () => {
    const home = mkdtempSync(join(tmpdir(), 'qubs-harness-seal-'))
    dirs.push(home)
    const first = await cacheKey(home)
    const again = await cacheKey(home)
    expect(again).toEqual(first)
    const file = readFileSync(join(home, 'harness-secrets.json'), 'utf8')
    expect(file).not.toContain(Buffer.from(first.rawKey).toString('base64'))
    expect(file).not.toContain(first.keyId)
  })

  it('cannot be opened under another key file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'qubs-harness-seal-'))
    const other = mkdtempSync(join(tmpdir(), 'qubs-harness-seal-'))
    dirs.push(home, other)
    await cacheKey(home)
    const stranger = new SealedFileVault(
      join(home, 'harness-secrets.json'),
      keyFileSeal(new KeyFileVault({ keyFile: join(other, 'harness.key') })),
    )
    await expect(stranger.getSecret('renderer.cacheKey')).rejects.toThrow(/could not unseal/)
  })
})
