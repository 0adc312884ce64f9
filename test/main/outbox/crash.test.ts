import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { Outbox, type OutboxEntrySummary } from '../../../src-main/core/outbox'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { startSandbox, type Effect, type RunningSandbox } from '../../../src-main/sandbox'

/**
 * Crash tests (design §4): the real outbox, engine and client run in a child process that is SIGKILLed
 * at every durable step of a delivery (and at random moments), then restarted until it drains. The
 * sandbox's effect log is the judge: every entry took effect exactly once, reports in order per appointment.
 */
const ROOT = resolve(__dirname, '../../..')
const CHILD = join(__dirname, 'fixtures/crash-child.ts')
const DOMAIN = 'acme'

let sandbox: RunningSandbox
let pending: string[]
let workDir: string
let run = 0

beforeAll(async () => {
  sandbox = await startSandbox({ appointments: 60, seed: 4, domains: [DOMAIN] })
  pending = sandbox.admin.pendingAppointmentIds(DOMAIN, 60)
  workDir = mkdtempSync(join(tmpdir(), 'qubs-crash-'))
})
afterAll(async () => {
  await sandbox?.close()
  rmSync(workDir, { recursive: true, force: true })
})

interface ChildResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly enqueued: string[]
  /** The probe point the child announced just before killing itself. */
  readonly killedAt: string | null
}

function runChild(
  config: Record<string, unknown>,
  options: { killAfterMs?: number; onLine?: (line: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = // tsx as a loader in THIS node (24), not the tsx CLI: the CLI would put a wrapper process between
      // us and the engine, and signals (SIGKILL, SIGSTOP) must reach the engine's process itself.
      spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    const enqueued: string[] = []
    let killedAt: string | null = null
    let buffer = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      let newline = buffer.indexOf('\n')
      while (newline >= 0) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 1)
        if (line.startsWith('ENQUEUED ')) enqueued.push(line.split(' ')[2] ?? '')
        if (line.startsWith('KILLING ')) killedAt = line.slice('KILLING '.length)
        options.onLine?.(line, child)
        newline = buffer.indexOf('\n')
      }
    })
    child.stderr.on('data', () => undefined)
    const timer =
      options.killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      resolvePromise({ code, signal, enqueued, killedAt })
    })
  })
}

function baseConfig(dbPath: string) {
  return {
    mode: 'run',
    dbPath,
    tokenUrl: sandbox.tokenUrl,
    apiBaseUrl: sandbox.apiBaseUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    domain: DOMAIN,
  }
}

/** Two appointments with an attachment, a preliminary and a final; one with a comment then a report. */
function planFor(appointments: readonly string[]) {
  const [a, b] = appointments
  return [
    { kind: 'report-attachment', appointmentId: a, text: `att-${run}` },
    { kind: 'report', appointmentId: a, reportStatus: 'preliminary', text: `prelim-${run}` },
    { kind: 'comment', appointmentId: b, text: `comment-${run}` },
    { kind: 'report', appointmentId: a, reportStatus: 'final', text: `final-${run}` },
    { kind: 'report', appointmentId: b, reportStatus: 'final', text: `final-b-${run}` },
  ]
}

async function readOutbox(dbPath: string): Promise<OutboxEntrySummary[]> {
  const outbox = await Outbox.open({
    path: dbPath,
    vault: new MemoryVault(Buffer.alloc(32, 3)),
    connection: null,
  })
  try {
    return outbox.list()
  } finally {
    outbox.close()
  }
}

/** Exactly once, reports in order per appointment, judged by the sandbox's effects. */
function assertExactlyOnceInOrder(
  entries: readonly OutboxEntrySummary[],
  acknowledged: readonly string[],
): void {
  const effects = sandbox.admin.effects()
  const ids = new Set(entries.map((e) => e.id))
  for (const id of acknowledged) expect(ids.has(id), `acknowledged entry ${id} is in the outbox`).toBe(true)
  const effectOf = new Map<string, Effect>()
  for (const entry of entries) {
    expect(entry.state, `entry ${entry.id} (${entry.kind}) delivered`).toBe('delivered')
    if (entry.kind === 'report-attachment') {
      const uploads = effects.filter((e) => e.kind === 'upload' && e.guid === entry.result?.attachmentGuid)
      expect(uploads, `one upload for ${entry.id}`).toHaveLength(1)
      // Metadata for this entry's GUIDs: one per derived key at most (a key's replay is no new effect).
      const metadata = effects.filter(
        (e) => e.kind === 'report-attachment' && e.idempotencyKey?.startsWith(`${entry.idempotencyKey}.u`),
      )
      expect(new Set(metadata.map((e) => e.idempotencyKey)).size).toBe(metadata.length)
      effectOf.set(entry.id, uploads[0]!)
    } else {
      const mine = effects.filter((e) => e.idempotencyKey === entry.idempotencyKey)
      expect(mine, `one ${entry.kind} effect for ${entry.id}`).toHaveLength(1)
      expect(mine[0]?.kind).toBe(entry.kind)
      effectOf.set(entry.id, mine[0]!)
    }
  }
  // Strict order is owed among the reports of an appointment only (a comment or an attachment has a
  // lane of its own and may overtake them).
  const byAppointment = new Map<string, OutboxEntrySummary[]>()
  for (const entry of entries.filter((e) => e.kind === 'report'))
    byAppointment.set(entry.appointmentId, [...(byAppointment.get(entry.appointmentId) ?? []), entry])
  for (const group of byAppointment.values()) {
    const seqs = group.map((entry) => effectOf.get(entry.id)!.seq)
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
  }
}

async function crashThenDrain(killAt: { point: string; nth: number } | { afterMs: number }): Promise<void> {
  run += 1
  const dbPath = join(workDir, `run-${run}.sqlite`)
  const appointments = [pending[(run * 2) % pending.length]!, pending[(run * 2 + 1) % pending.length]!]
  const config = { ...baseConfig(dbPath), plan: planFor(appointments) }
  const first =
    'point' in killAt
      ? await runChild({ ...config, killAt })
      : await runChild(config, { killAfterMs: killAt.afterMs })
  const acknowledged = [...first.enqueued]
  if ('point' in killAt) {
    expect(first.killedAt).toBe(`${killAt.point}#${killAt.nth}`)
    expect(first.signal).toBe('SIGKILL')
  }
  // Restart (draining only) until it reports idle; a second kill-free run must finish.
  let again = await runChild({ ...baseConfig(dbPath), plan: [] })
  if (again.code !== 0) again = await runChild({ ...baseConfig(dbPath), plan: [] })
  expect(again.code).toBe(0)
  const entries = await readOutbox(dbPath)
  assertExactlyOnceInOrder(entries, acknowledged)
}

describe('outbox crash safety (SIGKILL at every transition)', () => {
  const points: [string, number][] = [
    ['enqueued', 1],
    ['enqueued', 3],
    ['upload-key-stored', 1],
    ['claimed', 1],
    ['claimed', 2],
    ['claimed', 4],
    ['upload-url-received', 1],
    ['uploaded', 1],
    ['answered', 1],
    ['answered', 3],
    ['settled', 1],
    ['settled', 2],
    ['settled', 4],
  ]
  it.each(points)(
    'killed at %s #%i, restarted: every entry took effect exactly once, in order',
    async (point, nth) => {
      await crashThenDrain({ point, nth })
    },
    40_000,
  )

  const random = seededRandom(2026)
  const delays = Array.from({ length: 4 }, () => 300 + Math.floor(random.next() * 1200))
  it.each(delays)(
    'killed at a random moment (%i ms), with random server faults, restarted: exactly once',
    async (afterMs) => {
      sandbox.admin.setFaults({
        rate: 0.25,
        seed: afterMs,
        kinds: ['500', '502', 'reset', 'commit-then-drop', 'latency'],
      })
      try {
        await crashThenDrain({ afterMs })
      } finally {
        sandbox.admin.clearFaults()
      }
    },
    40_000,
  )
})

describe('outbox crash between the answers and their group commit', () => {
  it('killed while answered deliveries wait for their shared commit: resent with the same keys, committed once', async () => {
    run += 1
    const dbPath = join(workDir, `group-${run}.sqlite`)
    const appointments = [0, 1, 2].map((i) => pending[(run * 3 + i) % pending.length]!)
    const plan = appointments.map((appointmentId, i) => ({
      kind: 'report',
      appointmentId,
      reportStatus: 'final',
      text: `grouped-${run}-${i}`,
    }))
    // Three in flight; the first answer waits for the others to share its commit; the second answer
    // kills the process before it is written.
    const first = await runChild({ ...baseConfig(dbPath), plan, killAt: { point: 'answered', nth: 2 } })
    expect(first.killedAt).toBe('answered#2')
    const answered = (await readOutbox(dbPath)).filter((entry) =>
      sandbox.admin.effects().some((effect) => effect.idempotencyKey === entry.idempotencyKey),
    )
    // QUBS committed them; the outbox had not recorded it (they were still `sending`, which opening the
    // outbox to look puts back to `queued`, same key): nothing had said "delivered" yet.
    expect(answered.length).toBeGreaterThanOrEqual(2)
    for (const entry of answered) expect(entry.state).toBe('queued')
    const again = await runChild({ ...baseConfig(dbPath), plan: [] })
    expect(again.code).toBe(0)
    const entries = await readOutbox(dbPath)
    assertExactlyOnceInOrder(entries, first.enqueued)
    const outbox = await Outbox.open({
      path: dbPath,
      vault: new MemoryVault(Buffer.alloc(32, 3)),
      connection: null,
    })
    try {
      for (const entry of answered) {
        const keys = outbox.attempts(entry.id).map((attempt) => attempt.idempotencyKey)
        // Sent before the kill and once more after it, under the key minted at enqueue.
        expect(keys).toEqual([entry.idempotencyKey, entry.idempotencyKey])
        expect(outbox.get(entry.id)?.state).toBe('delivered')
      }
    } finally {
      outbox.close()
    }
  }, 40_000)
})

describe('outbox power-loss snapshot', () => {
  it('a copy of the database and WAL taken at any moment holds every entry whose enqueue had resolved', async () => {
    const dbPath = join(workDir, 'power.sqlite')
    const snapshots: { dir: string; acknowledged: string[] }[] = []
    const acknowledged: string[] = []
    const random = seededRandom(77)
    let nextSnapshotAt = 5 + Math.floor(random.next() * 20)
    let busy = false
    await runChild(
      { ...baseConfig(dbPath), mode: 'enqueue-loop' },
      {
        killAfterMs: 15_000,
        onLine: (line, child) => {
          if (!line.startsWith('ENQUEUED ')) return
          acknowledged.push(line.split(' ')[2] ?? '')
          if (busy || acknowledged.length < nextSnapshotAt) return
          busy = true
          // Freeze the writer (what the disk has now is all there is), copy, let it go on.
          child.kill('SIGSTOP')
          const dir = mkdtempSync(join(workDir, 'snap-'))
          copyFileSync(dbPath, join(dir, 'outbox.sqlite'))
          if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, join(dir, 'outbox.sqlite-wal'))
          snapshots.push({ dir, acknowledged: [...acknowledged] })
          if (snapshots.length >= 6) child.kill('SIGKILL')
          else child.kill('SIGCONT')
          nextSnapshotAt = acknowledged.length + 10 + Math.floor(random.next() * 60)
          busy = false
        },
      },
    )
    expect(snapshots.length).toBe(6)
    for (const snapshot of snapshots) {
      const copy = await Outbox.open({
        path: join(snapshot.dir, 'outbox.sqlite'),
        vault: new MemoryVault(Buffer.alloc(32, 3)),
        integrityCheck: 'full',
        connection: null,
      })
      try {
        const present = new Set(copy.list().map((e) => e.id))
        for (const id of snapshot.acknowledged) {
          expect(present.has(id), `entry ${id} acknowledged before the snapshot`).toBe(true)
          expect(copy.delivery.loadPayload(id).kind).toBe('comment')
        }
        expect(copy.problems()).toEqual([])
      } finally {
        copy.close()
      }
    }
  }, 40_000)
})
