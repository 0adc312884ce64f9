#!/usr/bin/env node
// The package's `qubs-reporter` bin. It runs the built CLI (out/cli/main.cjs, from `npm run build`);
// in a checkout where that bundle is missing or older than the sources, it runs the TypeScript
// sources through tsx instead, so a developer never runs stale code.
'use strict'
require('../scripts/require-node-24.cjs')
const { existsSync, readdirSync, statSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const bundle = join(root, 'out', 'cli', 'main.cjs')
// What the bundle is built from (the CLI, the core, the sandbox and the contract).
const SOURCE_DIRS = [join(root, 'src-main'), join(root, 'src-preload', 'contract')]

function newestSourceMtimeMs() {
  let newest = 0
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(dir)) continue
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
    }
  }
  return newest
}

function bundleIsCurrent() {
  if (!existsSync(bundle)) return false
  return statSync(bundle).mtimeMs >= newestSourceMtimeMs()
}

if (bundleIsCurrent()) {
  // V8's compile cache (Node 22.1+) keeps the parsed bundle between runs.
  require('node:module').enableCompileCache?.()
  require(bundle)
} else {
  require('tsx/cjs/api').register()
  require('../src-main/cli/main.ts')
}
