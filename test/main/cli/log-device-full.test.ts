import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCliProcess } from './cli-process'

/**
 * The CLI's log is `<data dir>/logs/cli.log` (it has no log-file option). Pointing it at /dev/full makes
 * every log write fail with ENOSPC, as on a full disk: a report that was committed to the outbox must
 * still be reported as queued with exit 0, or the person sends it again (two reports, two keys).
 */
describe('qubs-reporter with its log on a full device', { timeout: 60_000 }, () => {
  let root: string
  let env: Record<string, string>

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'qubs-cli-full-'))
    const dataDir = join(root, 'data')
    mkdirSync(join(dataDir, 'logs'), { recursive: true, mode: 0o700 })
    symlinkSync('/dev/full', join(dataDir, 'logs', 'cli.log'))
    env = {
      HOME: join(root, 'home'),
      QUBS_DATA_DIR: dataDir,
      // Nothing listens on port 9: QUBS is unreachable, so the report stays queued.
      QUBS_API_BASE_URL: 'http://127.0.0.1:9',
      QUBS_TOKEN_URL: 'http://127.0.0.1:9/oauth2/token',
      QUBS_CLIENT_ID: 'demo-client',
      QUBS_CLIENT_SECRET: 'demo-secret',
      QUBS_DOMAIN: 'demo',
    }
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('report exits 0, says it is queued, and tells once that log writes are failing', async () => {
    const textFile = join(root, 'report.txt')
    writeFileSync(textFile, 'Testpatient Alpha: no acute abnormality, marker-PHI-5521.')
    const run = await runCliProcess(
      ['report', 'A100004', '--status', 'preliminary', '--text-file', textFile],
      env,
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/queued/i)
    const alarms = run.stderr.split('\n').filter((line) => line.startsWith('log writes are failing'))
    expect(alarms).toEqual(['log writes are failing (1 so far): ENOSPC'])
    expect(`${run.stdout}${run.stderr}`).not.toContain('marker-PHI')

    const listed = await runCliProcess(['outbox', '--json'], env)
    expect(listed.code).toBe(0)
    expect((JSON.parse(listed.stdout) as { state: string }[]).map((e) => e.state)).toEqual(['queued'])
  })
})
