import { EventEmitter } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { SettingsStore } from '../../../src-main/core/settings/settings-store'
import { bindContentProtection, bindPowerEvents } from '../../../src-main/electron/window-privacy'

class FakeWindow {
  readonly calls: boolean[] = []
  destroyed = false
  setContentProtection(value: boolean): void {
    this.calls.push(value)
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qubs-privacy-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('content protection follows settings.privacy.contentProtection', () => {
  it('applies the setting to every window at start, to new windows, and again on each change', async () => {
    const settings = await SettingsStore.open({ filePath: join(dir, 'settings.json'), logger: silentLogger })
    await settings.update({ privacy: { contentProtection: true } })
    const first = new FakeWindow()
    const windows = [first]
    const binding = bindContentProtection(settings, () => windows)
    expect(first.calls).toEqual([true])

    const second = new FakeWindow()
    windows.push(second)
    binding.apply(second)
    expect(second.calls).toEqual([true])

    await settings.update({ privacy: { contentProtection: false } })
    expect(first.calls).toEqual([true, false])
    expect(second.calls).toEqual([true, false])

    first.destroyed = true
    binding.unbind()
    await settings.update({ privacy: { contentProtection: true } })
    expect(second.calls).toEqual([true, false])
  })

  it('skips a window that was closed meanwhile', async () => {
    const settings = await SettingsStore.open({ filePath: join(dir, 'settings.json'), logger: silentLogger })
    const closed = new FakeWindow()
    closed.destroyed = true
    bindContentProtection(settings, () => [closed])
    await settings.update({ privacy: { contentProtection: true } })
    expect(closed.calls).toEqual([])
  })
})

describe('OS lock and suspend lock the app', () => {
  it('asks for a lock on lock-screen and suspend, and stops listening on unbind', () => {
    const powerMonitor = new EventEmitter()
    const reasons: string[] = []
    const unbind = bindPowerEvents(powerMonitor, { onLock: (reason) => reasons.push(reason) })
    powerMonitor.emit('lock-screen')
    powerMonitor.emit('suspend')
    powerMonitor.emit('resume')
    powerMonitor.emit('unlock-screen')
    expect(reasons).toEqual(['os-lock', 'suspend'])
    unbind()
    powerMonitor.emit('lock-screen')
    expect(reasons).toEqual(['os-lock', 'suspend'])
    expect(powerMonitor.eventNames()).toEqual([])
  })
})
