import { mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createLogger, stderrSink } from '../common/logger'
import { AppCore, type EmitEvent } from '../core/app-core'
import { retentionForDays } from '../core/outbox'
import { KeyFileVault } from '../core/vault/key-file-vault'
import { SettingsStore } from '../core/settings/settings-store'
import { ViewerConsent, viewerOriginsFromEnv } from '../core/app/viewer-consent'
import { SealedFileVault } from '../core/vault/sealed-file-vault'
import { WorkstationHost } from '../workstation/workstation-host'
import { bundleHarnessBridge } from './bundle-bridge'
import { startHarness } from './harness-server'
import { keyFileSeal } from './key-file-seal'

/**
 * `npm run harness`: the app's renderer in any browser, on the real core, without Electron. Like the
 * app, it runs against the built-in demo sandbox unless QUBS_* connection variables are set.
 * Build the renderer first (`npm run build`).
 */
const USAGE = `Usage: npm run harness -- [--port N] [--host H] [--data-dir DIR]

Serves the built renderer (out/renderer) with window.qubs carried over a WebSocket to the real core.
Open the printed URL in Chromium. Build first with "npm run build". Without QUBS_API_BASE_URL,
QUBS_TOKEN_URL, QUBS_CLIENT_ID, QUBS_CLIENT_SECRET and QUBS_DOMAIN it runs on the demo sandbox.
--data-dir defaults to a new temporary directory (its key file is kept beside it).`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5180' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const logger = createLogger('harness', { sink: stderrSink })
  const root = resolve(__dirname, '../..')
  const home = values['data-dir']
    ? resolve(values['data-dir'], '..')
    : mkdtempSync(join(tmpdir(), 'qubs-harness-'))
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : join(home, 'data')
  const vault = new KeyFileVault({
    keyFile: join(home, 'harness.key'),
    dataKeyText: process.env['QUBS_DATA_KEY'],
  })
  const settings = await SettingsStore.open({ filePath: join(home, 'settings.json'), logger })
  // The renderer's cache key outlives the process in a sealed file beside the key (see key-file-seal).
  const appSecrets = new SealedFileVault(join(home, 'harness-secrets.json'), keyFileSeal(vault))
  let emit: EmitEvent = () => undefined
  const forward: EmitEvent = (event, payload) => emit(event, payload)
  const host = await WorkstationHost.open({
    dataDir,
    connectionFile: join(home, 'connection.json'),
    vault,
    logger,
    env: process.env,
    emit: forward,
    retention: () => retentionForDays(settings.settings.privacy.retentionDays),
    createCore: (workstation, setup) =>
      new AppCore({
        name: 'QUBS Reporter',
        version: process.env['npm_package_version'] ?? '0.0.0',
        mode: workstation.mode,
        runtime: { node: process.versions.node },
        logger: logger.child('core'),
        services: workstation.services,
        vault: appSecrets,
        settings,
        setup,
        // No system browser or notification centre here: the page gets the viewer URL in the answer
        // and every notice as a `notificationShown` event, which is what the e2e tests read.
        openExternal: async () => undefined,
        // Nobody can be asked outside the page here: only origins the deployment allows are used.
        viewerConsent: new ViewerConsent({
          filePath: join(home, 'viewer-origins.json'),
          preApproved: viewerOriginsFromEnv(process.env['QUBS_VIEWER_ORIGINS']),
          ask: async () => false,
          logger,
        }),
        notify: () => undefined,
        connection: workstation.connection,
        emit: forward,
      }),
  })
  const harness = await startHarness({
    rendererDir: resolve(root, 'out/renderer'),
    bridgeScript: await bundleHarnessBridge(root),
    impl: host.impl,
    logger,
    host: values.host,
    port: Number(values.port),
  })
  emit = harness.emit
  process.stdout.write(`QUBS Reporter harness (${host.workstation.mode}): ${harness.url}\n`)
  const stop = () => {
    void harness
      .close()
      .then(() => host.close())
      // A temporary home (the default) holds a key and an outbox: nothing of it outlives the run.
      .then(() => (values['data-dir'] ? undefined : rm(home, { recursive: true, force: true })))
      .then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`harness failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
