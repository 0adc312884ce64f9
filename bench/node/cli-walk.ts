/**
 * The CLI's whole cost (issue #14 §1): the `qubs-reporter worklist --json` process over 5 000 sandbox
 * appointments vs a bare `node` process making the same requests with fetch and printing the items.
 * Runs the bundle (`out/cli/main.cjs`) through the bin, as an installed CLI does.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { WORKLIST_PAGE_SIZE } from '../../src-main/cli/commands/read-commands'
import { startSandbox } from '../../src-main/sandbox'
import { ratioResult, type MetricResult } from '../results-schema'
import { compareInterleaved } from '../rounds'

const ROOT = resolve(import.meta.dirname, '../..')
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
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let bytes = 0
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length))
    // stderr is drained, not shown: the CLI's one-line messages carry no PHI, but the table is the output.
    child.stderr.resume()
    child.once('error', fail)
    child.once('close', (code) => (code === 0 ? done(bytes) : fail(new Error(`exit ${code}`))))
  })
}

export async function cliWalkRatio(rounds: number): Promise<MetricResult> {
  const sandbox = await startSandbox({ appointments: 5_000, seed: 5, domains: ['demo'] })
  const dataDir = mkdtempSync(join(tmpdir(), 'qubs-bench-cli-'))
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    QUBS_DATA_DIR: dataDir,
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
    const comparison = await compareInterleaved({
      app: { name: 'qubs-reporter worklist --json', run: () => runProcess([BIN, 'worklist', '--json'], env) },
      floor: { name: 'bare node fetch loop', run: () => runProcess(bareArgs, env) },
      rounds,
      warmupRounds: 1,
    })
    return ratioResult(comparison, `pageSize ${WORKLIST_PAGE_SIZE}, ${rounds} rounds`)
  } finally {
    await sandbox.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
