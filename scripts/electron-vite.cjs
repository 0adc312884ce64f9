#!/usr/bin/env node
// `npm start` / `npm run dev`: electron-vite, but only when the Electron binary is there. Without it
// electron-vite died with a stack trace — and requiring the `electron` package to find out would
// start a ~100 MB download as a side effect — so the binary is looked for on disk and, when it is
// missing, one paragraph says how to get it and how to try the app without it.
'use strict'
require('./require-node-24.cjs')
const { spawn } = require('node:child_process')
const { existsSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')

/** Where the `electron` package would run its binary from (mirrors its index.js), or undefined. */
function electronBinary(env) {
  const packageDir = join(root, 'node_modules', 'electron')
  const pathFile = join(packageDir, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron')
  return executable ? join(packageDir, 'dist', executable) : undefined
}

const MISSING = `QUBS Reporter: the Electron binary is not installed, so the app window cannot start.
It is not fetched by "npm ci": this project runs no install scripts (package.json "allowScripts") and
sets ELECTRON_SKIP_BINARY_DOWNLOAD=1, the switch that tells Electron's installer not to download it.
Fetch it once (about 100 MB from GitHub) with that variable unset:
    env -u ELECTRON_SKIP_BINARY_DOWNLOAD node node_modules/electron/install.js
To try the app without Electron, serve the same renderer and core to a browser instead:
    npm run build && npm run harness      (then open the printed URL in Chromium)
`

const binary = electronBinary(process.env)
if (binary === undefined || !existsSync(binary)) {
  process.stderr.write(MISSING)
  process.exit(1)
}
const child = spawn(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
