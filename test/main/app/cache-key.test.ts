import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { AppCore } from '../../../src-main/core/app-core'
import { CACHE_KEY_SECRET } from '../../../src-main/core/app/cache-key'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { CacheKeySchema, createDispatcher, invokeContract } from '../../../src-preload/contract'

/** The renderer's cache key: kept in the vault, made on first use, the same after a restart. */
function coreOn(vault: MemoryVault | undefined) {
  const core = new AppCore({
    name: 'QUBS Reporter',
    version: '0',
    mode: 'demo',
    runtime: { node: '24' },
    logger: silentLogger,
    services: null,
    ...(vault ? { vault } : {}),
  })
  const dispatch = createDispatcher(core)
  return async () => {
    const envelope = await dispatch(invokeContract.getCacheKey.channel, [])
    if (!envelope.ok) return envelope
    return CacheKeySchema.parse(envelope.value)
  }
}

describe('getCacheKey', () => {
  it('creates a 32-byte key on first use and hands the same key out after a restart', async () => {
    const vault = new MemoryVault()
    expect(await vault.getSecret(CACHE_KEY_SECRET)).toBeNull()
    const first = await coreOn(vault)()
    expect(await vault.getSecret(CACHE_KEY_SECRET)).not.toBeNull()
    const afterRestart = await coreOn(vault)()
    expect(first).toMatchObject({ keyId: expect.any(String) })
    expect(afterRestart).toEqual(first)
    if ('rawKey' in first) expect(first.rawKey.byteLength).toBe(32)
  })

  it('gives another workstation another key', async () => {
    const a = await coreOn(new MemoryVault())()
    const b = await coreOn(new MemoryVault())()
    expect(a).not.toEqual(b)
  })

  it('replaces an unreadable stored key with a new id', async () => {
    const vault = new MemoryVault()
    await vault.setSecret(CACHE_KEY_SECRET, 'not a key')
    const key = await coreOn(vault)()
    expect(key).toMatchObject({ keyId: expect.any(String) })
    expect(await vault.getSecret(CACHE_KEY_SECRET)).not.toBe('not a key')
  })

  it('answers unavailable without a vault', async () => {
    expect(await coreOn(undefined)()).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })
})
