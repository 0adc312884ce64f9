/**
 * The CLI's own cost, as a ratio measured in one run: the whole `qubs-reporter worklist --json`
 * process over 5 000 sandbox appointments against a bare `node` process that makes the same HTTP
 * requests (token, then every page) with fetch and prints the items. Target: at most 1.5×, so the
 * CLI adds start-up, validation and sorting, not a multiple of the network walk. Runs the bundle
 * (`out/cli/main.cjs`), built first, as the installed bin does.
 */
import { spawn, spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { expect, test } from 'vitest'
import { WORKLIST_PAGE_SIZE } from '../../../src-main/cli/commands/read-commands'
import { startSandbox } from '../../../src-main/sandbox'

const ROOT = resolve(import.meta.dirname, '../../..')
const BIN = resolve(ROOT, 'bin/qubs-reporter.cjs')

/** The same requests the CLI makes, with nothing else: token, then pages until nextToken is empty. */
const BARE_WALK = `
const [tokenUrl, apiBaseUrl, clientId, clientSecret, domain, pageSize] = process.argv.slice(1)
const main = async () => {
  const grant = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  }).then((r) => r.json())
  const items = []
  let nextToken = ''
  do {
    const url = new URL(apiBaseUrl + '/integrations/v1/' + domain + '/reporting/appointments/pending')
    url.searchParams.set('pageSize', pageSize)
    if (nextToken) url.searchParams.set('nextToken', nextToken)
    const page = await fetch(url, {
      headers: { Authorization: 'Bearer ' + grant.access_token, Accept: 'application/json' },
    }).then((r) => r.json())
    items.push(...page.items)
    nextToken = page.nextToken ?? ''
  } while (nextToken)
  process.stdout.write(JSON.stringify(items, null, 2) + '\\n')
}
main()
`

function runProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
    let bytes = 0
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length))
    child.once('error', fail)
    child.once('close', (code) => (code === 0 ? done(bytes) : fail(new Error(`exit ${code}`))))
  })
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

test('worklist --json of 5 000 appointments: the CLI process vs a bare fetch loop', async ({ bench }) => {
  const build = spawnSync(process.execPath, [resolve(ROOT, 'scripts/build-cli.mjs')], { stdio: 'inherit' })
  expect(build.status).toBe(0)
  const sandbox = await startSandbox({ appointments: 5_000, seed: 5, domains: ['demo'] })
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    QUBS_DATA_DIR: resolve(ROOT, 'test-results/cli-bench-data'),
    QUBS_DATA_KEY: 'cd'.repeat(32),
    QUBS_API_BASE_URL: sandbox.apiBaseUrl,
    QUBS_TOKEN_URL: sandbox.tokenUrl,
    QUBS_CLIENT_ID: sandbox.clientId,
    QUBS_CLIENT_SECRET: sandbox.clientSecret,
    QUBS_DOMAIN: 'demo',
  }
  const bareArgs = [
    '-e',
    BARE_WALK,
    sandbox.tokenUrl,
    sandbox.apiBaseUrl,
    sandbox.clientId,
    sandbox.clientSecret,
    'demo',
    String(WORKLIST_PAGE_SIZE),
  ]
  try {
    const options = { iterations: 5, time: 0, warmupIterations: 1 }
    await bench('qubs-reporter worklist --json', async () => {
      await runProcess([BIN, 'worklist', '--json'], env)
    }).run(options)
    await bench('bare node fetch loop, same requests', async () => {
      await runProcess(bareArgs, env)
    }).run(options)
    // The ratio from interleaved pairs (the machine is shared: load drifts between two series), as
    // the median of the per-pair ratios.
    const ratios: number[] = []
    for (let pair = 0; pair < 9; pair += 1) {
      const cliMs = await timed(() => runProcess([BIN, 'worklist', '--json'], env))
      const bareMs = await timed(() => runProcess(bareArgs, env))
      ratios.push(cliMs / bareMs)
    }
    const ratio = median(ratios)
    console.log(
      `worklist --json of 5 000: CLI process / bare fetch loop = ${ratio.toFixed(2)}× (median of ${ratios.length} interleaved pairs: ${ratios.map((r) => r.toFixed(2)).join(' ')})`,
    )
    expect(ratio).toBeLessThanOrEqual(1.5)
  } finally {
    await sandbox.close()
  }
})
