import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * Where the Electron binary is, without triggering the electron package's download-on-require (which
 * cannot work on machines with no route to the binary's host). `available: false` carries the reason.
 */
export function findElectronBinary():
  { available: true; path: string } | { available: false; reason: string } {
  const packageDir = resolve(import.meta.dirname, '../../node_modules/electron')
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  const pathFile = join(packageDir, 'path.txt')
  if (!override && !existsSync(pathFile)) {
    return {
      available: false,
      reason:
        'the Electron binary is not installed (node_modules/electron/path.txt is missing; installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 have no binary)',
    }
  }
  const binary = override
    ? join(override, readFileSync(pathFile, 'utf8').trim() || 'electron')
    : join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return { available: false, reason: `the Electron binary is missing at ${binary}` }
  return { available: true, path: binary }
}
