#!/usr/bin/env node
// `npm run bench`: builds what the benchmarks run (the renderer served by the harness, the CLI bundle),
// then runs bench/run.ts, which prints one table and writes bench/results.json. Arguments pass through
// (`npm run bench -- --only node --rounds 3`).
import { spawnSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const run = (args) => {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
run([resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'])
run([resolve(root, 'scripts/build-cli.mjs')])
run([resolve(root, 'scripts/run-ts.cjs'), resolve(root, 'bench/run.ts'), ...process.argv.slice(2)])
