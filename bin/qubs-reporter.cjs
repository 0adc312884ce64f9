#!/usr/bin/env node
// The package's `qubs-reporter` bin: runs the CLI's TypeScript sources through tsx, so it works from a
// checkout right after `npm install`, with no build step.
'use strict'
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  process.stderr.write(`qubs-reporter needs Node 24 or newer (this is ${process.versions.node})\n`)
  process.exit(2)
}
require('tsx/cjs/api').register()
require('../src-main/cli/main.ts')
