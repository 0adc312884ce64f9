import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { openSync, closeSync } from 'node:fs'
import { BIN, runCliProcess } from './cli-process'

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

  it('a result that cannot be printed (stdout on a full device) does not turn a queued report into a failure', async () => {
    rmSync(join(root, 'data', 'logs', 'cli.log'))
    const textFile = join(root, 'report.txt')
    writeFileSync(textFile, 'Testpatient Beta: normal study, marker-PHI-7730.')
    const full = openSync('/dev/full', 'w')
    let stderr = ''
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(
        process.execPath,
        [BIN, 'report', 'A100005', '--status', 'final', '--text-file', textFile],
        { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', full, 'pipe'] },
      )
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.once('error', fail)
      child.once('close', done)
    }).finally(() => closeSync(full))
    expect(code).toBe(0)
    expect(stderr).not.toMatch(/\n\s+at |Unhandled|node:internal/)
    expect(stderr).toMatch(/could not write to standard output \(ENOSPC\)/)
    expect(stderr).not.toContain('marker-PHI')
    const listed = await runCliProcess(['outbox', '--json'], env)
    expect((JSON.parse(listed.stdout) as { state: string }[]).map((e) => e.state)).toEqual(['queued'])
  })
})
