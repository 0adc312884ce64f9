import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SealedFileVault, type SealPort } from '../../../src-main/core/vault/sealed-file-vault'

/**
 * A keystore that rotates its key, as Electron's async safeStorage does: values sealed under an older
 * key still open, but the answer says `shouldReseal`, and the vault must seal them again under the
 * current key. (Reversible "sealing" — the point here is which key version is on disk.)
 */
function rotatingKeystore() {
  const state = { version: 1, unsealed: 0 }
  const tag = (version: number, plain: string) =>
    Buffer.from(`k${version}:${Buffer.from(plain).toString('hex')}`)
  const open = (sealed: Buffer) => {
    const [version, hex] = sealed.toString().split(':')
    return { version: Number(version!.slice(1)), value: Buffer.from(hex!, 'hex').toString() }
  }
  const port: SealPort = {
    strength: 'os',
    seal: async (plain) => tag(state.version, plain),
    unseal: async (sealed) => open(sealed).value,
    unsealChecked: async (sealed) => {
      state.unsealed += 1
      const { version, value } = open(sealed)
      return { value, shouldReseal: version < state.version }
    },
  }
  return { port, state }
}

function keyVersionsOnDisk(path: string): string[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { dataKey: string; secrets: Record<string, string> }
  return [file.dataKey, ...Object.values(file.secrets)].map(
    (b64) => Buffer.from(b64, 'base64').toString().split(':')[0]!,
  )
}

describe('SealedFileVault key upgrades (shouldReEncrypt)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-reseal-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('re-seals the data key and secrets under the new key when the keystore says so, values unchanged', async () => {
    const { port, state } = rotatingKeystore()
    const path = join(dir, 'vault.json')
    const vault = new SealedFileVault(path, port)
    const key = await vault.getDataKey()
    await vault.setSecret('qubs.clientSecret', 'sandbox-secret')
    expect(keyVersionsOnDisk(path)).toEqual(['k1', 'k1'])

    state.version = 2
    const reopened = new SealedFileVault(path, port)
    expect(await reopened.getDataKey()).toEqual(key)
    expect(await reopened.getSecret('qubs.clientSecret')).toBe('sandbox-secret')
    expect(keyVersionsOnDisk(path)).toEqual(['k2', 'k2'])
    expect(readFileSync(path, 'utf8')).not.toContain('sandbox-secret')

    // Under the current key nothing is written again.
    const before = readFileSync(path, 'utf8')
    expect(await new SealedFileVault(path, port).getSecret('qubs.clientSecret')).toBe('sandbox-secret')
    expect(readFileSync(path, 'utf8')).toBe(before)
  })

  it('keeps the recorded strength of a data key first sealed under a weak keystore', async () => {
    const { port, state } = rotatingKeystore()
    const path = join(dir, 'vault.json')
    await new SealedFileVault(path, { ...port, strength: 'weak' }).getDataKey()
    state.version = 2
    const upgraded = new SealedFileVault(path, port)
    await upgraded.getDataKey()
    expect(keyVersionsOnDisk(path)).toEqual(['k2'])
    expect(await upgraded.dataKeyStrength()).toBe('weak')
  })

  it('uses plain unseal where the platform offers no upgrade signal', async () => {
    const { port, state } = rotatingKeystore()
    const { unsealChecked: _unused, ...plain } = port
    const path = join(dir, 'vault.json')
    await new SealedFileVault(path, plain).setSecret('qubs.clientSecret', 'v')
    state.version = 2
    expect(await new SealedFileVault(path, plain).getSecret('qubs.clientSecret')).toBe('v')
    expect(keyVersionsOnDisk(path)).toEqual(['k1', 'k1'])
  })
})
