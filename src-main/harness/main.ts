import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createLogger, stderrSink } from '../common/logger'
import { AppCore } from '../core/app-core'
import { bundleHarnessBridge } from './bundle-bridge'
import { startHarness } from './harness-server'

/**
 * `npm run harness`: the app's renderer in any browser, on the real core, without Electron.
 * Build the renderer first (`npm run build`).
 */
const USAGE = `Usage: npm run harness -- [--port N] [--host H]

Serves the built renderer (out/renderer) with window.qubs carried over a WebSocket to the real core.
Open the printed URL in Chromium. Build first with "npm run build".`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5180' },
      host: { type: 'string', default: '127.0.0.1' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const logger = createLogger('harness', { sink: stderrSink })
  const root = resolve(import.meta.dirname, '../..')
  const core = new AppCore({
    name: 'QUBS Reporter',
    version: process.env['npm_package_version'] ?? '0.0.0',
    mode: 'demo',
    runtime: { node: process.versions.node },
    logger: logger.child('core'),
  })
  const harness = await startHarness({
    rendererDir: resolve(root, 'out/renderer'),
    bridgeScript: await bundleHarnessBridge(root),
    impl: core,
    logger,
    host: values.host,
    port: Number(values.port),
  })
  process.stdout.write(`QUBS Reporter harness: ${harness.url}\n`)
  const stop = () => void harness.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`harness failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
