#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security scanner) on the sources, as a CI gate.
// - Installed into a temporary prefix, never into the project (its dependency tree is old and large).
//   The install needs the npm registry; when that fails, this step FAILS (never a silent pass).
// - Runs on the sources (src-main, src-preload, src-renderer, package.json), not the bundle: its parser
//   rejects `#private` class fields in bundled output. TypeScript sources parse.
// - Runs OFFLINE: the tool fetches translations and Electron's release list over the network; its HTTP
//   client is replaced by one that refuses, and the release-list check
//   (AvailableSecurityFixesGlobalCheck) is excluded — keeping Electron current is Renovate's job.
// - The verdict (scripts/electronegativity-gate.ts): any HIGH or MEDIUM finding, at any confidence,
//   fails unless electronegativity-exclusions.json lists that check in that file with a reason.
// Writes test-results/electronegativity.json. Exit 0 = pass, 1 = findings, 2 = could not run.
import './require-node-24.cjs'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ExclusionsSchema, judgeFindings, parseFindings } from './electronegativity-gate.mts'

const TOOL = '@doyensec/electronegativity'
const TOOL_VERSION = '1.10.3'
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck']
const SCANNED = ['src-main', 'src-preload', 'src-renderer', 'package.json']

const root = resolve(import.meta.dirname, '..')
const reportPath = resolve(root, 'test-results/electronegativity.json')

function fail(code, message) {
  console.error(`electronegativity: ${message}`)
  process.exit(code)
}

const exclusionsFile = resolve(root, 'electronegativity-exclusions.json')
const exclusions = ExclusionsSchema.safeParse(JSON.parse(readFileSync(exclusionsFile, 'utf8')))
if (!exclusions.success) fail(2, `electronegativity-exclusions.json is invalid: ${exclusions.error.message}`)

const work = mkdtempSync(join(tmpdir(), 'qubs-electronegativity-'))
let exitCode
try {
  console.log(`electronegativity: installing ${TOOL}@${TOOL_VERSION} into a temporary prefix`)
  const install = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      work,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
      `${TOOL}@${TOOL_VERSION}`,
    ],
    { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' },
  )
  if (install.status !== 0) {
    throw new Error(
      `could not install ${TOOL}@${TOOL_VERSION} (exit ${install.status ?? install.signal}); is the npm registry reachable? This step cannot pass without it.`,
    )
  }
  const toolDir = join(work, 'node_modules', TOOL)
  const toolRequire = createRequire(join(toolDir, 'package.json'))
  // Offline: every HTTP request the tool tries is refused at once (its translations fall back to the
  // bundled English; the release list is not needed with its check excluded).
  const gotPath = toolRequire.resolve('got')
  const refuse = () => Promise.reject(new Error('electronegativity runs offline here'))
  toolRequire.cache[gotPath] = {
    id: gotPath,
    filename: gotPath,
    loaded: true,
    exports: { __esModule: true, default: refuse },
  }

  const scanDir = join(work, 'scan')
  for (const entry of SCANNED) cpSync(resolve(root, entry), join(scanDir, entry), { recursive: true })
  const electronVersion = JSON.parse(
    readFileSync(resolve(root, 'node_modules/electron/package.json'), 'utf8'),
  ).version
  const toolModule = toolRequire(toolDir)
  const run = toolModule.default ?? toolModule
  const result = await run(
    {
      input: scanDir,
      excludeFromScan: EXCLUDED_CHECKS,
      electronVersionOverride: electronVersion,
      isRelative: true,
    },
    false,
  )
  const verdict = judgeFindings(parseFindings(result.issues), exclusions.data, result.errors)
  mkdirSync(resolve(root, 'test-results'), { recursive: true })
  writeFileSync(
    reportPath,
    JSON.stringify(
      { tool: `${TOOL}@${TOOL_VERSION}`, electronVersion, excludedChecks: EXCLUDED_CHECKS, ...verdict },
      null,
      2,
    ),
  )

  const line = (f) => `  ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.check}  ${f.file}:${f.line}`
  console.log(
    `electronegativity: ${result.globalChecks + result.atomicChecks} checks on ${SCANNED.join(', ')} (Electron ${electronVersion})`,
  )
  for (const f of verdict.excused) console.log(`${line(f)}  [excused]`)
  for (const f of verdict.belowThreshold) console.log(`${line(f)}  [below MEDIUM, reported only]`)
  for (const f of verdict.failing)
    console.log(`${line(f)}  [FAILS: not in electronegativity-exclusions.json]`)
  for (const e of verdict.staleExclusions)
    console.log(`  stale exclusion (matches nothing; remove it): ${e.check} ${e.file}`)
  for (const file of verdict.unparsed) console.log(`  could not parse (so not checked): ${file}`)
  console.log(`electronegativity: ${verdict.ok ? 'ok' : 'FAILED'} (report: ${reportPath})`)
  exitCode = verdict.ok ? 0 : 1
} catch (error) {
  console.error(`electronegativity: ${error instanceof Error ? error.message : String(error)}`)
  exitCode = 2
} finally {
  rmSync(work, { recursive: true, force: true })
}
process.exit(exitCode ?? 2)
