#!/usr/bin/env node
// The README's test command: every check and every test layer, then one closing line
// `N passed, N failed[, N skipped]`. Typecheck, lint, format and build count as one test each;
// vitest's tests are counted from its JSON report. Exits non-zero when anything failed.
// First, before anything that needs Node 24: one clear line and exit 2 on an older Node.
import './require-node-24.cjs'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bin = (name) => resolve(root, 'node_modules/.bin', name)
const report = resolve(root, 'test-results/vitest.json')

let passed = 0
let failed = 0
let skipped = 0

function check(name, command, args) {
  console.log(`\n=== ${name}: ${[command, ...args].join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status === 0) {
    passed += 1
    console.log(`=== ${name}: ok`)
  } else {
    failed += 1
    console.log(`=== ${name}: FAILED (exit ${result.status ?? result.signal})`)
  }
}

check('typecheck (node)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json'])
check('typecheck (web)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.web.json'])
check('lint', bin('eslint'), ['--max-warnings', '0', '.'])
check('format', bin('prettier'), ['--check', '--log-level', 'warn', '.'])
// The app (electron-vite) and the bundled CLI, exactly as `npm run build` makes them.
check('build', bin('electron-vite'), ['build'])
check('build (CLI)', process.execPath, [resolve(root, 'scripts/build-cli.mjs')])
// Electron security scan of the sources (installs the scanner into a temporary prefix; needs the registry).
check('electronegativity', process.execPath, [resolve(root, 'scripts/electronegativity.mjs')])

console.log('\n=== vitest: node, dom, e2e (Chromium), electron')
mkdirSync(resolve(root, 'test-results'), { recursive: true })
rmSync(report, { force: true })
const vitest = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
try {
  const json = JSON.parse(readFileSync(report, 'utf8'))
  passed += json.numPassedTests
  failed += json.numFailedTests
  skipped += json.numPendingTests + json.numTodoTests
  // A file that failed to load has no tests in it but must still fail the run.
  const brokenFiles = json.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  )
  failed += brokenFiles.length
  for (const file of brokenFiles) console.log(`test file failed to run: ${file.name}`)
} catch {
  console.log('vitest wrote no report')
  failed += 1
}
if (vitest.status !== 0 && failed === 0) failed += 1

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed === 0 ? 0 : 1)
