import { safeStorage } from 'electron'
import type { Logger } from '../common/logger'
import type { SealPort } from '../core/vault/sealed-file-vault'

/**
 * Seals vault values with the OS keystore through Electron's async safeStorage (DPAPI, Keychain,
 * libsecret or kwallet). On Linux it falls back to `basic_text` — a hard-coded password — when no
 * keyring runs: that is reported as weak so the composition root can refuse real patient data under it
 * (keystore-policy.ts). When the keystore has rotated its key, `decryptStringAsync` says
 * `shouldReEncrypt` and the vault seals the value again (SealPort.unsealChecked).
 * Call after the app is ready.
 */
export async function safeStorageSeal(logger: Logger): Promise<SealPort> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    throw new Error('the operating system keystore is not available; QUBS Reporter cannot protect its data')
  }
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'
  const strength = backend === 'basic_text' || backend === 'unknown' ? 'weak' : 'os'
  if (strength === 'weak') logger.warn('keystore is weak', { reason: `safeStorage backend ${backend}` })
  return {
    strength,
    seal: (plain) => safeStorage.encryptStringAsync(plain),
    unseal: async (sealed) => (await safeStorage.decryptStringAsync(sealed)).result,
    unsealChecked: async (sealed) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(sealed)
      return { value: result, shouldReseal: shouldReEncrypt }
    },
  }
}
