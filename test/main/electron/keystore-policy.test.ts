import { describe, expect, it } from 'vitest'
import { keystoreRefusal, weakKeystoreAllowed } from '../../../src-main/electron/keystore-policy'

const base = {
  configured: true,
  sealStrength: 'os',
  dataKeyStrength: 'os',
  allowWeak: false,
  platform: 'linux',
} as const

describe('weak keystore policy (Linux basic_text)', () => {
  it('lets a real keystore through, and demo mode (fake patients only) whatever the keystore', () => {
    expect(keystoreRefusal(base)).toBeUndefined()
    expect(
      keystoreRefusal({ ...base, configured: false, sealStrength: 'weak', dataKeyStrength: 'weak' }),
    ).toBeUndefined()
  })

  it('refuses a weak keystore now, saying what to install and what the override means', () => {
    const message = keystoreRefusal({ ...base, sealStrength: 'weak' })
    expect(message).toMatch(/well-known password/)
    expect(message).toMatch(/gnome-keyring/)
    expect(message).toMatch(/KWallet/)
    expect(message).toMatch(/--allow-weak-keystore/)
    expect(message).toMatch(/QUBS_ALLOW_WEAK_KEYSTORE=1/)
    expect(message).toMatch(/anyone who can read this user's files/)
  })

  it('refuses a data key that was made under a weak keystore, even once a keyring runs', () => {
    const message = keystoreRefusal({ ...base, dataKeyStrength: 'weak' })
    expect(message).toMatch(/when the data key was made/)
  })

  it('gives no Linux package advice elsewhere', () => {
    expect(keystoreRefusal({ ...base, sealStrength: 'weak', platform: 'win32' })).not.toMatch(/gnome-keyring/)
  })

  it('allows it only when the person says so explicitly', () => {
    expect(keystoreRefusal({ ...base, sealStrength: 'weak', allowWeak: true })).toBeUndefined()
    expect(weakKeystoreAllowed({ QUBS_ALLOW_WEAK_KEYSTORE: '1' }, [])).toBe(true)
    expect(weakKeystoreAllowed({}, ['/opt/qubs/qubs-reporter', '--allow-weak-keystore'])).toBe(true)
    expect(weakKeystoreAllowed({ QUBS_ALLOW_WEAK_KEYSTORE: 'true' }, [])).toBe(false)
    expect(weakKeystoreAllowed({ QUBS_ALLOW_WEAK_KEYSTORE: '0' }, ['--allow-weak-keystore=no'])).toBe(false)
    expect(weakKeystoreAllowed({}, [])).toBe(false)
  })
})
