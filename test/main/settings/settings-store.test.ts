import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { AppCore } from '../../../src-main/core/app-core'
import { SettingsStore } from '../../../src-main/core/settings/settings-store'
import { createDispatcher, invokeContract, SettingsSchema } from '../../../src-preload/contract'

let dir: string
let filePath: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qubs-settings-'))
  filePath = join(dir, 'settings.json')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('SettingsStore', () => {
  it('starts from the defaults and keeps a change across a restart', async () => {
    const store = await SettingsStore.open({ filePath, logger: silentLogger })
    expect(store.settings).toEqual(SettingsSchema.parse({}))
    await store.update({ clinician: { name: 'Dr Test', providerNumber: '123456AB' } })
    const reopened = await SettingsStore.open({ filePath, logger: silentLogger })
    expect(reopened.settings.clinician).toEqual({ name: 'Dr Test', providerNumber: '123456AB', email: '' })
    expect(reopened.get().sources).toMatchObject({
      'clinician.name': 'user',
      'clinician.providerNumber': 'user',
    })
    expect(reopened.get().sources['clinician.email']).toBeUndefined()
  })

  it('refuses an invalid change whole, naming the field, and keeps the file as it was', async () => {
    const store = await SettingsStore.open({ filePath, logger: silentLogger })
    await store.update({ sync: { worklistIntervalSeconds: 120 } })
    const before = await readFile(filePath, 'utf8')
    await expect(
      store.update({ sync: { worklistIntervalSeconds: 2 }, clinician: { name: 'x' } }),
    ).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('sync.worklistIntervalSeconds'),
    })
    expect(await readFile(filePath, 'utf8')).toBe(before)
    expect(store.settings.clinician.name).toBe('')
  })

  it('reads a damaged file field by field: what no longer fits is reset, the rest is kept', async () => {
    await writeFile(
      filePath,
      JSON.stringify({
        sync: { worklistIntervalSeconds: -5 },
        clinician: { name: 'Dr Kept' },
        attachments: { prefetchCount: 7, cacheCapMB: 'lots' },
      }),
    )
    const store = await SettingsStore.open({ filePath, logger: silentLogger })
    expect(store.settings.sync.worklistIntervalSeconds).toBe(60)
    expect(store.settings.clinician.name).toBe('Dr Kept')
    expect(store.settings.attachments).toEqual({ prefetchCount: 7, cacheCapMB: 500 })
  })

  it('starts on the defaults when the file is not JSON', async () => {
    await writeFile(filePath, '{not json')
    const store = await SettingsStore.open({ filePath, logger: silentLogger })
    expect(store.settings).toEqual(SettingsSchema.parse({}))
  })

  it('shows environment values with their variable and refuses to change them', async () => {
    const store = await SettingsStore.open({
      filePath,
      logger: silentLogger,
      overrides: { 'privacy.idleLockMinutes': { variable: 'QUBS_IDLE_LOCK_MINUTES', value: 3 } },
    })
    expect(store.settings.privacy.idleLockMinutes).toBe(3)
    expect(store.get().sources['privacy.idleLockMinutes']).toBe('env')
    expect(store.get().envVariables['privacy.idleLockMinutes']).toBe('QUBS_IDLE_LOCK_MINUTES')
    await expect(store.update({ privacy: { idleLockMinutes: 20 } })).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringContaining('QUBS_IDLE_LOCK_MINUTES'),
    })
  })

  it('is reached through the contract, and tells listeners of a change', async () => {
    const settings = await SettingsStore.open({ filePath, logger: silentLogger })
    const events: unknown[] = []
    const core = new AppCore({
      name: 'QUBS Reporter',
      version: '0',
      mode: 'demo',
      runtime: { node: '24' },
      logger: silentLogger,
      services: null,
      settings,
      emit: (event, payload) => events.push([event, payload]),
    })
    const dispatch = createDispatcher(core)
    const changed = await dispatch(invokeContract.updateSettings.channel, [
      { appearance: { theme: 'light' } },
    ])
    expect(changed).toMatchObject({ ok: true, value: { settings: { appearance: { theme: 'light' } } } })
    expect(events).toEqual([
      ['settingsChanged', expect.objectContaining({ sources: { 'appearance.theme': 'user' } })],
    ])
    const unknownSection = await dispatch(invokeContract.updateSettings.channel, [{ secrets: { a: 1 } }])
    expect(unknownSection).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
    core.dispose()
  })
})
