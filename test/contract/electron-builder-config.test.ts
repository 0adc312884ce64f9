import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { Ajv } from 'ajv'
import { minimatch } from 'minimatch'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

/**
 * Packaging needs the Electron binary, so it cannot run here; the configuration is at least held to
 * electron-builder's own schema, and to the fuses that keep other local processes out of the app.
 */
const root = resolve(import.meta.dirname, '../..')
const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", () => {
    const schema = JSON.parse(
      readFileSync(resolve(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as object
    const ajv = new Ajv({ allErrors: true, strict: false })
    expect(ajv.validate(schema, config), JSON.stringify(ajv.errors)).toBe(true)
  })

  it('turns off running as Node, NODE_OPTIONS and inspector flags, and checks the asar', () => {
    expect(config['electronFuses']).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
  })

  it('points every platform at icons that exist, drawn by the script that is committed with them', () => {
    const icons = [
      'icon.png',
      'icon.ico',
      'icon.icns',
      'icon.svg',
      ...[16, 32, 48, 64, 128, 256, 512, 1024].map((n) => `${n}x${n}.png`),
    ]
    for (const icon of icons) expect(existsSync(resolve(root, 'resources/icons', icon)), icon).toBe(true)
    expect(config['icon']).toBe('resources/icons/icon.png')
    expect(config['win']).toMatchObject({ icon: 'resources/icons/icon.ico', target: 'nsis' })
    expect(config['mac']).toMatchObject({ icon: 'resources/icons/icon.icns', target: 'dmg' })
    expect(config['linux']).toMatchObject({ icon: 'resources/icons', target: ['AppImage', 'deb'] })
    expect(config['asar']).toBe(true)
    execFileSync(process.execPath, [resolve(root, 'scripts/package-icons.mjs'), '--check'], { stdio: 'pipe' })
  })

  it('packages the built app and package.json only: no sources, tests, maps, databases, keys or .env', () => {
    // What a build leaves in out/ (the real files when a build is there) plus strays that must stay out.
    const built = existsSync(resolve(root, 'out')) ? walk(resolve(root, 'out')) : []
    const expected = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']
    const strays = [
      'out/main/index.js.map',
      'out/main/app-core.ts',
      'out/renderer/assets/editor.test.js',
      'out/test/fixtures/report.txt',
      'out/data/outbox.sqlite',
      'out/data/outbox.sqlite-wal',
      'out/main/client.key',
      'out/main/server.pem',
      'out/.env',
      'out/main/.env.local',
      'out/logs/main.log',
    ]
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
    const packaged = packagedFiles([...new Set([...tracked, ...built, ...expected, ...strays])])
    for (const file of expected) expect(packaged, file).toContain(file)
    expect(packaged.filter(isForbidden)).toEqual([])
    expect(packaged.filter((file) => !file.startsWith('out/') && file !== 'package.json')).toEqual([])
  })

  it('ships resources/ without secrets, and keeps the package CommonJS so the sandboxed preload loads', () => {
    const resources = walk(resolve(root, 'resources'))
    expect(resources.filter(isForbidden)).toEqual([])
    const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(manifest['type'] ?? 'commonjs').toBe('commonjs')
    expect(manifest['main']).toBe('./out/main/index.js')
  })
})

/** electron-builder's `files`: a path is packaged when the last pattern that matches it is not a negation. */
function packagedFiles(candidates: readonly string[]): string[] {
  const patterns = config['files'] as string[]
  return candidates.filter((file) => {
    let included = false
    for (const pattern of patterns) {
      const negated = pattern.startsWith('!')
      if (minimatch(file, negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated
    }
    return included
  })
}

function isForbidden(file: string): boolean {
  return (
    /\.(map|ts|tsx|mts|cts|sqlite|sqlite-wal|sqlite-shm|db|pem|key|p12|pfx|crt|log)$/.test(file) ||
    /(^|\/)\.env/.test(file) ||
    /(^|\/)(test|tests|__tests__)\//.test(file) ||
    /\.(test|spec|bench)\./.test(file)
  )
}

function walk(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
}
