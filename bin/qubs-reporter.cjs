#!/usr/bin/env node
// The package's `qubs-reporter` bin. It runs the built CLI (out/cli/main.cjs, from `npm run build`);
// in a checkout where that bundle is missing or older than the sources, it runs the TypeScript
// sources through tsx instead, so a developer never runs stale code.
'use strict'
require('../scripts/require-node-24.cjs')
const { readFileSync, statSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const bundle = join(root, 'out', 'cli', 'main.cjs')
// The project files the bundle was built from (written by scripts/build-cli.mjs beside it).
const sourcesList = join(root, 'out', 'cli', 'sources.json')

/** Whether the bundle exists and no file it was built from changed, appeared missing, or is newer. */
function bundleIsCurrent() {
  const built = statSync(bundle, { throwIfNoEntry: false })
  if (!built) return false
  let sources
  try {
    sources = JSON.parse(readFileSync(sourcesList, 'utf8'))
  } catch {
    return false
  }
  if (!Array.isArray(sources)) return false
  for (const source of sources) {
    const info =
      typeof source === 'string' ? statSync(join(root, source), { throwIfNoEntry: false }) : undefined
    // A source that is gone: a checkout that moved on since the build (a packaged install keeps them).
    if (!info || info.mtimeMs > built.mtimeMs) return false
  }
  return true
}

if (bundleIsCurrent()) {
  // V8's compile cache (Node 22.1+) keeps the parsed bundle between runs.
  require('node:module').enableCompileCache?.()
  require(bundle)
} else {
  // Both hooks: the sources are loaded with require, and commands load their heavy parts lazily with
  // import() (the sandbox), which only tsx's ESM hook resolves to TypeScript files.
  require('tsx/cjs/api').register()
  require('tsx/esm/api').register()
  require('../src-main/cli/main.ts')
}
