import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { memorySink, createLogger } from '../../src-main/common/logger'
import type { ApiMethods } from '../../src-preload/contract/api'
import { bundleHarnessBridge } from '../../src-main/harness/bundle-bridge'
import { startHarness, type RunningHarness } from '../../src-main/harness/harness-server'

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..')
const RENDERER_DIR = resolve(PROJECT_ROOT, 'out/renderer')

let bridgeScript: Promise<string> | undefined

/** Starts the browser harness over the built renderer; the e2e project builds it first. */
export async function startTestHarness(
  impl: ApiMethods,
): Promise<RunningHarness & { logs: ReturnType<typeof memorySink> }> {
  if (!existsSync(resolve(RENDERER_DIR, 'index.html'))) {
    throw new Error(
      'out/renderer is missing: run "npm run build" before the e2e tests (npm run test:e2e does)',
    )
  }
  bridgeScript ??= bundleHarnessBridge(PROJECT_ROOT)
  const logs = memorySink()
  const harness = await startHarness({
    rendererDir: RENDERER_DIR,
    bridgeScript: await bridgeScript,
    impl,
    logger: createLogger('harness', { sink: logs }),
  })
  return { ...harness, logs }
}
