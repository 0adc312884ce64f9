import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Every way a new user starts the project: on the wrong Node each says so in one line and exits 2
 * before loading anything that needs Node 24; without the Electron binary `npm start` / `npm run dev`
 * explain how to get it instead of printing a stack trace.
 */
const ROOT = resolve(import.meta.dirname, '../../..')
const { nodeVersionProblem } = createRequire(import.meta.url)('../../../scripts/require-node-24.cjs') as {
  nodeVersionProblem: (version: string) => string | undefined
}

/** The machine's own older Node (Debian's is 20), which the entry points must refuse politely. */
function olderNode(): string | undefined {
  for (const candidate of [process.env['QUBS_OLD_NODE'], '/usr/local/bin/node', '/usr/bin/node']) {
    if (!candidate || !existsSync(candidate)) continue
    const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()
    if (nodeVersionProblem(version) !== undefined) return candidate
  }
  return undefined
}

const run = (command: string, args: readonly string[], env: NodeJS.ProcessEnv) =>
  spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 })

describe('entry points', { timeout: 120_000 }, () => {
  it('knows which Node versions are too old', () => {
    expect(nodeVersionProblem('20.20.2')).toMatch(/needs Node 24.*this is Node 20\.20\.2/)
    expect(nodeVersionProblem('v23.11.0')).toMatch(/needs Node 24/)
    expect(nodeVersionProblem('24.0.0')).toBeUndefined()
    expect(nodeVersionProblem('25.1.0')).toBeUndefined()
  })

  // The machine's older Node when there is one (the faithful check: it also proves the scripts parse
  // there); otherwise this Node pretending to be 20, through a preload that NODE_OPTIONS applies to
  // every process npm starts.
  const old = olderNode()
  const pretend = join(ROOT, 'test/support/pretend-node-20.cjs')
  const oldEnv = (): NodeJS.ProcessEnv =>
    old
      ? { ...process.env, PATH: `${dirname(old)}:/usr/bin:/bin`, npm_config_update_notifier: 'false' }
      : { ...process.env, NODE_OPTIONS: `--require ${pretend}`, npm_config_update_notifier: 'false' }
  const oldNodeCommand = old ?? process.execPath
  const refusedInOneLine = (result: ReturnType<typeof run>) => {
    expect(result.status, result.stderr).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^QUBS Reporter needs Node 24 .*bash \.ci\/run --node-only/)
  }

  it.each([
    ['the bin', ['bin/qubs-reporter.cjs', '--help']],
    ['the test script', ['scripts/test-all.mjs']],
    ['the CLI build', ['scripts/build-cli.mjs']],
    ['the Electron wrapper', ['scripts/electron-vite.cjs', 'dev']],
  ])(`on an older Node (${old ?? 'simulated'}), %s exits 2 with one line`, (_name, args) => {
    refusedInOneLine(run(oldNodeCommand, args, oldEnv()))
  })

  it.each([['cli'], ['sandbox'], ['harness'], ['bench']])(
    `on an older Node (${old ?? 'simulated'}), npm run %s exits 2 with one line`,
    (script) => {
      refusedInOneLine(run('npm', ['run', '--silent', script, '--', '--help'], oldEnv()))
    },
  )

  it('npm start without the Electron binary explains how to fetch it, without a stack trace', () => {
    const empty = mkdtempSync(join(tmpdir(), 'qubs-no-electron-'))
    try {
      const result = run(process.execPath, ['scripts/electron-vite.cjs', 'preview'], {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: empty,
      })
      expect(result.status).toBe(1)
      expect(result.stderr).toContain('the Electron binary is not installed')
      expect(result.stderr).toContain(
        'env -u ELECTRON_SKIP_BINARY_DOWNLOAD node node_modules/electron/install.js',
      )
      expect(result.stderr).toContain('npm run harness')
      expect(result.stderr).not.toMatch(/\n\s+at /)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('the bin runs the bundle while it is current, and the sources once one is newer or it is gone', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'qubs-bin-'))
    try {
      for (const dir of ['bin', 'scripts', 'out/cli', 'src-main/cli'])
        mkdirSync(join(checkout, dir), { recursive: true })
      copyFileSync(join(ROOT, 'bin/qubs-reporter.cjs'), join(checkout, 'bin/qubs-reporter.cjs'))
      copyFileSync(join(ROOT, 'scripts/require-node-24.cjs'), join(checkout, 'scripts/require-node-24.cjs'))
      symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'))
      writeFileSync(join(checkout, 'src-main/cli/main.ts'), "process.stdout.write('sources')\n")
      writeFileSync(join(checkout, 'out/cli/main.cjs'), "process.stdout.write('bundle')\n")
      writeFileSync(join(checkout, 'out/cli/sources.json'), JSON.stringify(['src-main/cli/main.ts']))
      const at = (path: string, seconds: number) => utimesSync(join(checkout, path), seconds, seconds)
      const which = () => run(process.execPath, [join(checkout, 'bin/qubs-reporter.cjs')], process.env).stdout

      at('src-main/cli/main.ts', 1_000)
      at('out/cli/main.cjs', 2_000)
      expect(which()).toBe('bundle')
      at('src-main/cli/main.ts', 3_000)
      expect(which()).toBe('sources')
      at('out/cli/main.cjs', 4_000)
      expect(which()).toBe('bundle')
      rmSync(join(checkout, 'out/cli/main.cjs'))
      expect(which()).toBe('sources')
    } finally {
      rmSync(checkout, { recursive: true, force: true })
    }
  })

  it('the sources fall-back also loads what a command imports lazily (the sandbox command does)', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'qubs-bin-'))
    try {
      for (const dir of ['bin', 'scripts', 'src-main/cli'])
        mkdirSync(join(checkout, dir), { recursive: true })
      copyFileSync(join(ROOT, 'bin/qubs-reporter.cjs'), join(checkout, 'bin/qubs-reporter.cjs'))
      copyFileSync(join(ROOT, 'scripts/require-node-24.cjs'), join(checkout, 'scripts/require-node-24.cjs'))
      symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'))
      writeFileSync(
        join(checkout, 'src-main/cli/main.ts'),
        "void import('./lazy').then((m) => process.stdout.write(m.greeting('lazy')))\n",
      )
      writeFileSync(
        join(checkout, 'src-main/cli/lazy.ts'),
        'export const greeting = (what: string): string => `loaded ${what}`\n',
      )
      const result = run(process.execPath, [join(checkout, 'bin/qubs-reporter.cjs')], process.env)
      expect(result.stdout).toBe('loaded lazy')
    } finally {
      rmSync(checkout, { recursive: true, force: true })
    }
  })
})
