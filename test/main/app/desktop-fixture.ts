import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { SettingsStore } from '../../../src-main/core/settings/settings-store'
import type { SettingsPatch } from '../../../src-preload/contract'
import {
  startCoreOnSandbox,
  type CoreOnSandbox,
  type CoreOnSandboxOptions,
} from '../../support/core-on-sandbox'

/**
 * The real core on a sandbox with a settings store of its own (the desktop capabilities read their
 * settings: the PACS template, notification switches), closed and removed after each test.
 */
export function desktopCoreEachTest() {
  const opened: { app: CoreOnSandbox; dir: string }[] = []
  afterEach(async () => {
    for (const { app, dir } of opened.splice(0)) {
      await app.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
  return async function start(
    patch: SettingsPatch = {},
    options: Readonly<CoreOnSandboxOptions> = {},
  ): Promise<CoreOnSandbox> {
    const dir = mkdtempSync(join(tmpdir(), 'qubs-desktop-'))
    const settings = await SettingsStore.open({ filePath: join(dir, 'settings.json'), logger: silentLogger })
    await settings.update(patch)
    const app = await startCoreOnSandbox({ ...options, core: { settings, ...options.core } })
    opened.push({ app, dir })
    return app
  }
}
