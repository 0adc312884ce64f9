import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createLogger, memorySink } from '../../../src-main/common/logger'

/** Electron's safeStorage, as far as the seal uses it: async API, a chosen Linux backend, a key rotation flag. */
const fake = { backend: 'gnome_libsecret', available: true, shouldReEncrypt: false }
vi.mock('electron', () => ({
  safeStorage: {
    isAsyncEncryptionAvailable: async () => fake.available,
    getSelectedStorageBackend: () => fake.backend,
    encryptStringAsync: async (plain: string) => Buffer.from(`sealed:${plain}`),
    decryptStringAsync: async (sealed: Buffer) => ({
      result: sealed.toString().replace(/^sealed:/, ''),
      shouldReEncrypt: fake.shouldReEncrypt,
    }),
  },
}))

const { safeStorageSeal } = await import('../../../src-main/electron/safe-storage-seal')

describe('safeStorage seal', () => {
  beforeEach(() =>
    Object.assign(fake, { backend: 'gnome_libsecret', available: true, shouldReEncrypt: false }),
  )

  it('passes on the keystore asking for a re-seal (shouldReEncrypt)', async () => {
    const seal = await safeStorageSeal(createLogger('vault', { sink: memorySink() }))
    const sealed = await seal.seal('value')
    await expect(seal.unsealChecked!(sealed)).resolves.toEqual({ value: 'value', shouldReseal: false })
    fake.shouldReEncrypt = true
    await expect(seal.unsealChecked!(sealed)).resolves.toEqual({ value: 'value', shouldReseal: true })
  })

  it.runIf(process.platform === 'linux')(
    'calls basic_text weak on Linux and logs only the backend',
    async () => {
      fake.backend = 'basic_text'
      const logs = memorySink()
      const seal = await safeStorageSeal(createLogger('vault', { sink: logs }))
      expect(seal.strength).toBe('weak')
      expect(logs.records.map((r) => r.message)).toEqual(['keystore is weak'])
    },
  )

  it('refuses to start without any keystore', async () => {
    fake.available = false
    await expect(safeStorageSeal(createLogger('vault', { sink: memorySink() }))).rejects.toThrow(
      /keystore is not available/,
    )
  })
})
