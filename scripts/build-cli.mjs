#!/usr/bin/env node
// `npm run build` (after electron-vite): the CLI bundled into one file, out/cli/main.cjs, so that
// `qubs-reporter` starts without transpiling TypeScript on every run (tsx took most of 0.4 s for
// --help). Minified because V8 parses the whole file at start-up; the bin also enables Node's
// compile cache, so later runs skip most of that parse.
import './require-node-24.cjs'
import { build } from 'esbuild'
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src-main/cli/main.ts'],
  outfile: 'out/cli/main.cjs',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  // Names stay readable in a crash report (error names are part of the CLI's messages).
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
  // Only the part of undici the client uses (see scripts/undici-for-cli.cjs): a shorter start. Exactly
  // the bare specifier `undici`; the shim's own deep requires resolve as usual.
  plugins: [
    {
      name: 'undici-for-cli',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /^undici$/ }, () => ({
          path: resolve(root, 'scripts/undici-for-cli.cjs'),
        }))
      },
    },
  ],
})

// The project files the bundle was built from, for the bin's freshness check: it stats exactly these
// instead of walking the source folders on every start.
const sources = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules/'))
writeFileSync(resolve(root, 'out/cli/sources.json'), `${JSON.stringify(sources)}\n`)
