import { resolve } from 'node:path'
import { build } from 'vite'

/**
 * Bundles src-preload/harness.ts (and the contract it imports) into one classic script for the page.
 * Done on start-up rather than shipped, because the harness is a development and test tool.
 */
export async function bundleHarnessBridge(projectRoot: string): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root: projectRoot,
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve(projectRoot, 'src-preload/harness.ts'), formats: ['iife'], name: 'qubsHarness' },
    },
  })
  const results = Array.isArray(output) ? output : [output]
  for (const result of results) {
    if ('output' in result) {
      const chunk = result.output.find((item) => item.type === 'chunk')
      if (chunk && chunk.type === 'chunk') return chunk.code
    }
  }
  throw new Error('bundling the harness bridge produced no script')
}
