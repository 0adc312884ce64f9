/**
 * Whether the app may keep real patient data under the keystore it found. On Linux without a running
 * keyring, Electron's safeStorage falls back to `basic_text`: a password compiled into Chromium, so
 * anyone who can read the user's files can read the data. That is refused unless the person allows it
 * explicitly. Demo mode holds only the sandbox's fake patients, so any keystore will do there.
 * Free of Electron imports: the composition root passes what it found.
 */
export const ALLOW_WEAK_KEYSTORE_ENV = 'QUBS_ALLOW_WEAK_KEYSTORE'
export const ALLOW_WEAK_KEYSTORE_SWITCH = '--allow-weak-keystore'

export interface KeystoreFacts {
  /** A real QUBS connection is configured (real patients), not the demo sandbox. */
  readonly configured: boolean
  /** How the keystore seals now. */
  readonly sealStrength: 'os' | 'weak'
  /** How the data key was sealed when it was made (a key once weak stays weak). */
  readonly dataKeyStrength: 'os' | 'weak'
  readonly allowWeak: boolean
  readonly platform: NodeJS.Platform
}

export function weakKeystoreAllowed(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
): boolean {
  return env[ALLOW_WEAK_KEYSTORE_ENV] === '1' || argv.includes(ALLOW_WEAK_KEYSTORE_SWITCH)
}

/** Why start-up must stop, in words for the person at the workstation; undefined when it may go on. */
export function keystoreRefusal(facts: Readonly<KeystoreFacts>): string | undefined {
  if (!facts.configured || facts.allowWeak) return undefined
  const weakNow = facts.sealStrength === 'weak'
  if (!weakNow && facts.dataKeyStrength !== 'weak') return undefined
  const when = weakNow
    ? 'no OS keyring is available now'
    : 'no OS keyring was available when the data key was made'
  const install =
    facts.platform === 'linux'
      ? ' Install and unlock a keyring — GNOME Keyring (e.g. `sudo apt install gnome-keyring libsecret-1-0`) or KDE KWallet — then start again.'
      : ''
  const staysWeak = weakNow
    ? ''
    : ' A data key made that way stays readable with that password until the local data is wiped and made again.'
  return (
    `QUBS Reporter will not keep patient data protected only by a well-known password: ${when}.` +
    install +
    staysWeak +
    ` To run anyway, accepting that anyone who can read this user's files can read the patient data, start with ${ALLOW_WEAK_KEYSTORE_SWITCH} or set ${ALLOW_WEAK_KEYSTORE_ENV}=1.`
  )
}
