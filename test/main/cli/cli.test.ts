import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { collect, runCliProcess, startCli } from './cli-process'

/**
 * The CLI as a process against the sandbox on loopback: what support staff and scripts see,
 * including exit codes, offline enqueue, and a SIGKILL in the middle of a sync.
 */
const REPORT_TEXT = 'CLI-TEST-REPORT: no acute abnormality. Marker 7f3a.'

describe('qubs-reporter CLI', { timeout: 90_000 }, () => {
  let sandbox: RunningSandbox
  let root: string
  let dataDir: string
  let env: Record<string, string>
  let targets: string[]

  beforeAll(async () => {
    sandbox = await startSandbox({ appointments: 40, seed: 7, domains: ['demo'] })
    targets = sandbox.admin.pendingAppointmentIds('demo', 10)
  })
  afterAll(async () => {
    await sandbox.close()
  })

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'qubs-cli-'))
    dataDir = join(root, 'data')
    env = {
      HOME: join(root, 'home'),
      QUBS_DATA_DIR: dataDir,
      QUBS_API_BASE_URL: sandbox.apiBaseUrl,
      QUBS_TOKEN_URL: sandbox.tokenUrl,
      QUBS_CLIENT_ID: sandbox.clientId,
      QUBS_CLIENT_SECRET: sandbox.clientSecret,
      QUBS_DOMAIN: 'demo',
    }
    sandbox.admin.clearFaults()
    return () => rmSync(root, { recursive: true, force: true })
  })

  const offline = () => ({
    ...env,
    QUBS_API_BASE_URL: 'http://127.0.0.1:9',
    QUBS_TOKEN_URL: 'http://127.0.0.1:9/oauth2/token',
  })
  const reportFile = (text = REPORT_TEXT) => {
    const path = join(root, `report-${Math.random().toString(36).slice(2)}.txt`)
    writeFileSync(path, text)
    return path
  }
  const effectsFor = (appointmentId: string) =>
    sandbox.admin.effects().filter((e) => e.appointmentId === appointmentId)

  it('prints help for the program and for every command', async () => {
    const top = await runCliProcess(['--help'], env)
    expect(top.code).toBe(0)
    for (const name of ['worklist', 'report', 'comment', 'attach', 'sync', 'outbox', 'sandbox']) {
      expect(top.stdout).toContain(name)
      const help = await runCliProcess([name, '--help'], env)
      expect(help.code).toBe(0)
      expect(help.stdout).toContain(`Usage: qubs-reporter [global options] ${name}`)
    }
  })

  it('exits 2 with a one-line reason on usage errors', async () => {
    const unknown = await runCliProcess(['frobnicate'], env)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
    const missing = await runCliProcess(['report', targets[0]!, '--text-file', reportFile()], env)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--status is required/)
  })

  it('lists the whole worklist as JSON items carrying their domain', async () => {
    const run = await runCliProcess(['worklist', '--json'], env)
    expect(run.code).toBe(0)
    const items = JSON.parse(run.stdout) as { domain: string; appointmentId: string }[]
    const expected = sandbox.admin.pendingAppointmentIds('demo', 10_000)
    expect(items.map((i) => i.appointmentId).sort()).toEqual([...expected].sort())
    expect(new Set(items.map((i) => i.domain))).toEqual(new Set(['demo']))
  })

  it('shows an appointment, its attachments and comments, and downloads an attachment', async () => {
    const id = targets[0]!
    const appointment = await runCliProcess(['appointment', id, '--json'], env)
    expect(appointment.code).toBe(0)
    expect(JSON.parse(appointment.stdout)).toMatchObject({ appointmentId: id, status: 'PENDING REPORTING' })
    const attachments = await runCliProcess(['attachments', id, '--json'], env)
    expect(attachments.code).toBe(0)
    const list = JSON.parse(attachments.stdout) as { guid: string }[]
    expect(list.length).toBeGreaterThan(0)
    const comments = await runCliProcess(['comments', id, '--json'], env)
    expect(comments.code).toBe(0)
    expect(Array.isArray(JSON.parse(comments.stdout))).toBe(true)
    const out = join(root, 'referral.pdf')
    const download = await runCliProcess(['download', id, list[0]!.guid, '--out', out], env)
    expect(download.code).toBe(0)
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })

  it('queues a report while QUBS is unreachable, exits 0; after the settings change it is held, and a retry delivers it once to the new host', async () => {
    const id = targets[1]!
    const queued = await runCliProcess(
      ['report', id, '--status', 'preliminary', '--text-file', reportFile(), '--json'],
      offline(),
    )
    expect(queued.code).toBe(0)
    const entry = JSON.parse(queued.stdout) as { id: string; state: string; idempotencyKey: string }
    expect(entry.state).toBe('queued')
    const listed = JSON.parse((await runCliProcess(['outbox', '--json'], offline())).stdout) as {
      id: string
      state: string
    }[]
    expect(listed).toEqual([
      expect.objectContaining({
        id: entry.id,
        state: 'queued',
        kind: 'report',
        domain: 'demo',
        appointmentId: id,
      }),
    ])

    // Queued for the host at port 9: with the settings now naming the sandbox, it is not sent there.
    const sync = await runCliProcess(['sync', '--wait', '--timeout', '60'], env)
    expect(sync.code).toBe(1)
    const held = JSON.parse((await runCliProcess(['outbox', '--json'], env)).stdout) as {
      state: string
      heldReason: string
    }[]
    expect(held).toEqual([expect.objectContaining({ state: 'held', heldReason: 'connection-changed' })])
    expect(effectsFor(id)).toHaveLength(0)
    const retried = await runCliProcess(['outbox', 'retry', entry.id, '--json'], env)
    expect(retried.code).toBe(0)
    const delivered = JSON.parse(retried.stdout) as { state: string; idempotencyKey: string }
    expect(delivered.state).toBe('delivered')
    expect(effectsFor(id).filter((e) => e.idempotencyKey === delivered.idempotencyKey)).toHaveLength(1)
    expect(effectsFor(id).filter((e) => e.idempotencyKey === entry.idempotencyKey)).toHaveLength(0)
  })

  it('exits 2 and queues nothing for invalid input', async () => {
    const blank = await runCliProcess(
      ['report', targets[2]!, '--status', 'final', '--text-file', reportFile('   \n')],
      env,
    )
    expect(blank.code).toBe(2)
    const badStatus = await runCliProcess(
      ['report', targets[2]!, '--status', 'draft', '--text-file', reportFile()],
      env,
    )
    expect(badStatus.code).toBe(2)
    const badType = await runCliProcess(['comment', targets[2]!, '--text', 'x', '--type', 'ZZ'], env)
    expect(badType.code).toBe(2)
    const outbox = JSON.parse((await runCliProcess(['outbox', '--json'], env)).stdout) as unknown[]
    expect(outbox).toEqual([])
  })

  it('sends a comment and a report attachment when online', async () => {
    const id = targets[3]!
    const commentFile = join(root, 'comment.txt')
    writeFileSync(commentFile, 'Report sent to referrer.')
    const comment = await runCliProcess(['comment', id, '--text-file', commentFile, '--alert', '--json'], env)
    expect(comment.code).toBe(0)
    expect(JSON.parse(comment.stdout)).toMatchObject({ kind: 'comment', state: 'delivered' })
    const pdf = join(root, 'report.pdf')
    writeFileSync(
      pdf,
      Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 32), Buffer.from('\n%%EOF\n')]),
    )
    const attach = await runCliProcess(['attach', id, '--file', pdf, '--json'], env)
    expect(attach.code).toBe(0)
    expect(JSON.parse(attach.stdout)).toMatchObject({ kind: 'report-attachment', state: 'delivered' })
    expect(effectsFor(id).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['comment', 'report-attachment', 'upload']),
    )
  })

  it('exits 3 when sync --wait times out with entries left', async () => {
    await runCliProcess(['report', targets[4]!, '--status', 'final', '--text-file', reportFile()], offline())
    const run = await runCliProcess(['sync', '--wait', '--timeout', '2'], offline())
    expect(run.code).toBe(3)
    expect(run.stderr).not.toContain('CLI-TEST-REPORT')
  })

  it('holds a report for an appointment that is no longer pending, exports it and retries it', async () => {
    const id = targets[5]!
    sandbox.admin.setAppointmentStatus('demo', id, 'FINALISED')
    const held = await runCliProcess(
      ['report', id, '--status', 'final', '--text-file', reportFile(), '--json'],
      env,
    )
    expect(held.code).toBe(1)
    const entry = JSON.parse(held.stdout) as {
      id: string
      state: string
      heldReason: string
      lastError: { requestId?: string }
    }
    expect(entry).toMatchObject({ state: 'held', heldReason: 'not-pending' })
    expect(entry.lastError.requestId).toBeTruthy()
    const sync = await runCliProcess(['sync'], env)
    expect(sync.code).toBe(1)
    expect(sync.stderr).toMatch(/1 held entry needs a person/)

    const exported = join(root, 'held.json')
    expect((await runCliProcess(['outbox', 'export', entry.id, '--out', exported], env)).code).toBe(0)
    expect(readFileSync(exported, 'utf8')).toContain('CLI-TEST-REPORT')
    expect(statSync(exported).mode & 0o777).toBe(0o600)

    sandbox.admin.setAppointmentStatus('demo', id, 'PENDING REPORTING')
    const retried = await runCliProcess(['outbox', 'retry', entry.id, '--json'], env)
    expect(retried.code).toBe(0)
    expect(JSON.parse(retried.stdout)).toMatchObject({ state: 'delivered' })
    expect(effectsFor(id).filter((e) => e.kind === 'report')).toHaveLength(1)
  })

  it('survives a SIGKILL during sync: a second sync --wait delivers everything exactly once', async () => {
    const ids = targets.slice(6, 10)
    const keys: string[] = []
    for (const id of ids) {
      for (const status of ['preliminary', 'final']) {
        const run = await runCliProcess(
          ['report', id, '--status', status, '--text-file', reportFile(), '--no-sync', '--json'],
          env,
        )
        keys.push((JSON.parse(run.stdout) as { idempotencyKey: string }).idempotencyKey)
      }
    }
    // Slow answers, and some commits whose answers never arrive, so the kill lands mid-flight.
    sandbox.admin.setFaults({ rate: 1, seed: 3, kinds: ['latency'], latencyMs: [300, 600] })
    const child = startCli(['sync', '--wait', '--timeout', '60'], env)
    const finished = collect(child)
    await expect
      .poll(() => sandbox.admin.effects().filter((e) => keys.includes(e.idempotencyKey ?? '')).length, {
        timeout: 20_000,
        interval: 50,
      })
      .toBeGreaterThan(0)
    child.kill('SIGKILL')
    expect((await finished).signal).toBe('SIGKILL')
    sandbox.admin.clearFaults()

    const again = await runCliProcess(['sync', '--wait', '--timeout', '60'], env)
    expect(again.code).toBe(0)
    const outbox = JSON.parse((await runCliProcess(['outbox', '--json'], env)).stdout) as { state: string }[]
    expect(outbox.every((e) => e.state === 'delivered')).toBe(true)
    for (const key of keys)
      expect(sandbox.admin.effects().filter((e) => e.idempotencyKey === key)).toHaveLength(1)
    for (const id of ids) {
      expect(
        effectsFor(id)
          .filter((e) => e.kind === 'report')
          .map((e) => e.reportStatus),
      ).toEqual(['preliminary', 'final'])
    }
  })

  it('runs the sandbox in the foreground and stops cleanly on SIGTERM', async () => {
    const child = startCli(
      ['sandbox', '--port', '0', '--appointments', '10', '--domain', 'acme,beta', '--json'],
      {
        HOME: env['HOME']!,
        QUBS_DATA_DIR: dataDir,
      },
    )
    const finished = collect(child)
    const firstLine = await new Promise<string>((done) => {
      let buffer = ''
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8')
        if (buffer.includes('\n')) done(buffer.split('\n')[0]!)
      })
    })
    const info = JSON.parse(firstLine) as {
      tokenUrl: string
      domains: string[]
      clientId: string
      clientSecret: string
    }
    expect(info.domains).toEqual(['acme', 'beta'])
    const token = await fetch(info.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: info.clientId,
        client_secret: info.clientSecret,
      }),
    })
    expect(token.status).toBe(200)
    child.kill('SIGTERM')
    expect((await finished).code).toBe(0)
  })

  it('keeps PHI out of stderr, the log and the data directory at rest', async () => {
    const id = targets[0]!
    await runCliProcess(['report', id, '--status', 'preliminary', '--text-file', reportFile()], offline())
    const failed = await runCliProcess(['sync', '--wait', '--timeout', '1'], offline())
    expect(failed.stderr).not.toContain('CLI-TEST-REPORT')
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const bytes = readFileSync(join(file.parentPath, file.name))
      expect(
        bytes.includes(Buffer.from('CLI-TEST-REPORT')),
        `${file.name} holds report text in plaintext`,
      ).toBe(false)
    }
    expect(statSync(join(env['HOME']!, '.config', 'qubs-reporter', 'data.key')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dataDir, 'outbox.sqlite')).mode & 0o777).toBe(0o600)
  })
})
