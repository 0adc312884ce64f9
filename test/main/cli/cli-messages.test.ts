import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { collect, runCliProcess, startCli, type CliRun } from './cli-process'

/**
 * What a new user meets when something is wrong: text is never silently changed, every failure is
 * one line that says what happened and what to do (no stack trace, no PHI), and exit codes a script
 * can trust.
 */
const MARKER = 'CLI-MSG-7c1e'

describe('qubs-reporter messages and exit codes', { timeout: 90_000 }, () => {
  let sandbox: RunningSandbox
  let root: string
  let env: Record<string, string>
  let targets: string[]

  beforeAll(async () => {
    sandbox = await startSandbox({ appointments: 30, seed: 11, domains: ['demo'] })
    targets = sandbox.admin.pendingAppointmentIds('demo', 10)
  })
  afterAll(async () => {
    await sandbox.close()
  })
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'qubs-cli-msg-'))
    env = {
      HOME: join(root, 'home'),
      QUBS_DATA_DIR: join(root, 'data'),
      QUBS_API_BASE_URL: sandbox.apiBaseUrl,
      QUBS_TOKEN_URL: sandbox.tokenUrl,
      QUBS_CLIENT_ID: sandbox.clientId,
      QUBS_CLIENT_SECRET: sandbox.clientSecret,
      QUBS_DOMAIN: 'demo',
    }
    return () => rmSync(root, { recursive: true, force: true })
  })

  const offline = () => ({
    ...env,
    QUBS_API_BASE_URL: 'http://127.0.0.1:9',
    QUBS_TOKEN_URL: 'http://127.0.0.1:9/oauth2/token',
  })
  const file = (bytes: Buffer | string) => {
    const path = join(root, `in-${Math.random().toString(36).slice(2)}.txt`)
    writeFileSync(path, bytes)
    return path
  }
  const oneLine = (run: CliRun) => {
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).not.toMatch(/\n\s+at |node:internal|Unhandled/)
    expect(run.stderr).not.toContain(MARKER)
  }
  const outboxEntries = async (runEnv = env) =>
    JSON.parse((await runCliProcess(['outbox', '--json'], runEnv)).stdout) as { id: string }[]

  it('refuses a report file that is not UTF-8, naming the byte offset, and queues nothing', async () => {
    const latin1 = file(Buffer.from(`38°C, 5 µm ${MARKER}`, 'latin1'))
    const run = await runCliProcess(['report', targets[0]!, '--status', 'final', '--text-file', latin1], env)
    expect(run.code).toBe(2)
    oneLine(run)
    expect(run.stderr).toMatch(/--text-file: the file is not valid UTF-8 \(invalid byte at offset 2\)/)
    expect(await outboxEntries()).toEqual([])
  })

  it('drops one leading BOM from a report file and keeps the text otherwise as it is', async () => {
    const bom = file(`\uFEFF${MARKER} 38°C, 5 µm`)
    const queued = await runCliProcess(
      ['report', targets[0]!, '--status', 'final', '--text-file', bom, '--no-sync', '--json'],
      env,
    )
    expect(queued.code).toBe(0)
    const { id } = JSON.parse(queued.stdout) as { id: string }
    const out = join(root, 'export.json')
    expect((await runCliProcess(['outbox', 'export', id, '--out', out], env)).code).toBe(0)
    const exported = readFileSync(out, 'utf8')
    expect(exported).toContain(`${MARKER} 38°C, 5 µm`)
    expect(exported).not.toContain('\uFEFF')
    expect(exported).not.toContain('\\ufeff')
  })

  it('refuses --text that arrived with replaced bytes', async () => {
    const run = await runCliProcess(['comment', targets[0]!, '--text', `${MARKER} 38\uFFFDC`], env)
    expect(run.code).toBe(2)
    oneLine(run)
    expect(run.stderr).toMatch(/--text: the argument is not valid UTF-8/)
  })

  it('refuses any option or argument that arrived with replaced bytes, not only --text', async () => {
    const report = file(`${MARKER} fine`)
    const clinician = await runCliProcess(
      [
        'report',
        targets[0]!,
        '--status',
        'final',
        '--text-file',
        report,
        '--clinician-name',
        'Dr M\uFFFDller',
      ],
      env,
    )
    expect(clinician.code).toBe(2)
    oneLine(clinician)
    expect(clinician.stderr).toMatch(/--clinician-name: the argument is not valid UTF-8/)
    const attachment = await runCliProcess(
      ['attach', targets[0]!, '--file', join(root, 'scan\uFFFD.pdf')],
      env,
    )
    expect(attachment.code).toBe(2)
    expect(attachment.stderr).toMatch(/--file: the argument is not valid UTF-8/)
    expect(await outboxEntries()).toHaveLength(0)
  })

  it('without the client secret a report IS queued but needs a person (exit 1); without a URL nothing is queued', async () => {
    const report = file(`${MARKER} fine`)
    const { QUBS_CLIENT_SECRET: _secret, ...noSecret } = env
    const queued = await runCliProcess(
      ['report', targets[1]!, '--status', 'final', '--text-file', report],
      noSecret,
    )
    expect(queued.code).toBe(1)
    expect(queued.stdout).toMatch(/queued/)
    expect(queued.stderr).toMatch(/it IS queued.*QUBS_CLIENT_SECRET.*"sync"/)
    expect(await outboxEntries()).toHaveLength(1)
    const { QUBS_TOKEN_URL: _url, ...noTokenUrl } = env
    const refused = await runCliProcess(
      ['report', targets[2]!, '--status', 'final', '--text-file', report],
      noTokenUrl,
    )
    expect(refused.code).toBe(2)
    oneLine(refused)
    expect(refused.stderr).toMatch(
      /missing connection settings: --token-url \(or its QUBS_\* variable\); nothing was queued/,
    )
    expect(await outboxEntries()).toHaveLength(1)
  })

  it('says why a file could not be read', async () => {
    const missing = await runCliProcess(
      ['report', targets[0]!, '--status', 'final', '--text-file', join(root, 'nope.txt')],
      env,
    )
    expect(missing.code).toBe(2)
    oneLine(missing)
    expect(missing.stderr).toMatch(/--text-file: could not be read: no such file or folder \(ENOENT\)/)
    const folder = await runCliProcess(
      ['attach', targets[0]!, '--file', root, '--content-type', 'application/pdf'],
      env,
    )
    expect(folder.code).toBe(2)
    expect(folder.stderr).toMatch(/--file: could not be read: it is a folder, not a file \(EISDIR\)/)
  })

  it('downloads to a positional FILE, and refuses a missing folder with one line', async () => {
    const id = targets[1]!
    const [attachment] = JSON.parse((await runCliProcess(['attachments', id, '--json'], env)).stdout) as {
      guid: string
    }[]
    const into = join(root, 'missing-folder', 'referral.pdf')
    const refused = await runCliProcess(['download', id, attachment!.guid, into], env)
    expect(refused.code).toBe(2)
    oneLine(refused)
    expect(refused.stderr).toMatch(/could not be written: no such file or folder \(ENOENT\)/)
    const out = join(root, 'referral.pdf')
    const saved = await runCliProcess(['download', id, attachment!.guid, out], env)
    expect(saved.code).toBe(0)
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })

  it('says an appointment that is gone is not found or no longer pending reporting', async () => {
    const id = targets[2]!
    sandbox.admin.setAppointmentStatus('demo', id, 'FINALISED')
    const run = await runCliProcess(['appointment', id], env)
    expect(run.code).toBe(1)
    oneLine(run)
    expect(run.stderr).toContain(`appointment demo/${id} is not found or no longer pending reporting`)
    expect(run.stderr).toMatch(/requestId \S+/)
  })

  it('says a wrong data key is wrong and how to recover', async () => {
    expect((await runCliProcess(['outbox'], env)).code).toBe(0)
    const run = await runCliProcess(['outbox'], { ...env, QUBS_DATA_KEY: 'ab'.repeat(32) })
    expect(run.code).toBe(2)
    oneLine(run)
    expect(run.stderr).toMatch(/written with another data key/)
    expect(run.stderr).toMatch(/QUBS_DATA_KEY|--key-file/)
  })

  it('never creates a new key for an existing outbox when the key file is missing', async () => {
    expect((await runCliProcess(['outbox'], env)).code).toBe(0)
    const wrongPath = join(root, 'elsewhere', 'data.key')
    const run = await runCliProcess(['--key-file', wrongPath, 'outbox'], env)
    expect(run.code).toBe(2)
    oneLine(run)
    expect(run.stderr).toMatch(/the outbox .* exists but the key file .* does not/)
    expect(existsSync(wrongPath)).toBe(false)
  })

  it('says QUBS is unreachable and how many entries wait, and exits 0 once queued offline', async () => {
    const report = file(`${MARKER} fine`)
    const queued = await runCliProcess(
      ['report', targets[3]!, '--status', 'final', '--text-file', report],
      offline(),
    )
    expect(queued.code).toBe(0)
    expect(queued.stdout).toMatch(/queued/)
    const run = await runCliProcess(['sync'], offline())
    expect(run.stdout).toContain('QUBS unreachable; 1 entry waits')
    expect(run.stdout).not.toMatch(/timed out/)
  })

  it('exits 1 and says the report IS queued when QUBS refuses the credentials', async () => {
    const report = file(`${MARKER} fine`)
    const run = await runCliProcess(['report', targets[4]!, '--status', 'final', '--text-file', report], {
      ...env,
      QUBS_CLIENT_SECRET: 'not-the-secret',
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/queued/)
    expect(run.stderr).toMatch(/QUBS refused the credentials.*it IS queued.*do not submit it again/)
    expect(await outboxEntries()).toHaveLength(1)
  })

  it('names the process that holds the outbox', async () => {
    // Queued for the same (unreachable) connection: an entry is only sent where it was written for, so
    // the holder keeps trying it until its timeout instead of finding nothing to do.
    await runCliProcess(
      ['report', targets[5]!, '--status', 'final', '--text-file', file('x'), '--no-sync'],
      offline(),
    )
    const holder = startCli(['sync', '--wait', '--timeout', '60'], offline())
    const finished = collect(holder)
    // Probe only once the holder has the outbox: a probe is itself an exclusive opener, and one that
    // got there first would make the holder the busy one (a race a loaded machine loses).
    const lockInfo = join(root, 'data', 'outbox.sqlite.lock-info')
    await expect
      .poll(() => existsSync(lockInfo) && readFileSync(lockInfo, 'utf8').includes(String(holder.pid)), {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(true)
    const busy: CliRun = await runCliProcess(['outbox'], offline())
    expect(busy.code).toBe(1)
    holder.kill('SIGTERM')
    await finished
    oneLine(busy)
    expect(busy.stderr).toContain(
      `the outbox is in use by another process (pid ${holder.pid}: qubs-reporter sync`,
    )
  })

  it('says why an export could not be written', async () => {
    const queued = await runCliProcess(
      ['report', targets[6]!, '--status', 'final', '--text-file', file(`${MARKER} x`), '--no-sync', '--json'],
      env,
    )
    const { id } = JSON.parse(queued.stdout) as { id: string }
    const run = await runCliProcess(
      ['outbox', 'export', id, '--out', join(root, 'no-such-folder', 'x.json')],
      env,
    )
    expect(run.code).toBe(1)
    oneLine(run)
    expect(run.stderr).toMatch(
      /could not be exported: could not be written: no such file or folder \(ENOENT\)/,
    )
  })

  it('documents the exit codes in --help', async () => {
    const help = await runCliProcess(['--help'], env)
    expect(help.stdout).toMatch(/1 .*queued but needs a person/)
  })

  it('keeps folder creation lazy: a data directory that cannot be made is a one-line error', async () => {
    const blocker = join(root, 'blocker')
    writeFileSync(blocker, '')
    const run = await runCliProcess(['outbox'], { ...env, QUBS_DATA_DIR: join(blocker, 'data') })
    expect(run.code).toBe(2)
    oneLine(run)
    expect(run.stderr).toMatch(/--data-dir: could not be written: a part of the path is not a folder/)
    mkdirSync(join(root, 'ok'))
  })
})
