#!/usr/bin/env node
// `npm run sandbox` / `npm run harness`: checks Node 24, then runs a TypeScript entry in this very
// process (tsx's require hook), not under the tsx CLI, which adds a second process. With one process a
// backgrounded `npm run sandbox &` stops with `kill %1` instead of leaving an orphan listening.
'use strict'
require('./require-node-24.cjs')
const { resolve } = require('node:path')

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.cjs ENTRY.ts [args]\n')
  process.exit(2)
}
const file = resolve(entry)
// The entry sees itself as the script, as it would under `node` or `tsx` (entries check argv[1]).
process.argv = [process.argv[0] ?? process.execPath, file, ...args]
require('tsx/cjs/api').register()
require(file)
