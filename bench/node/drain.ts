/**
 * Outbox drain (issue #14 §3): 1 000 queued reports delivered by the sync engine (its default lane
 * bound, 3) to the sandbox vs bare undici POSTs of the same requests at the same concurrency; then the
 * same drain with 20 % random faults, exactly-once judged from the sandbox's committed effects.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '../../src-main/common/logger'
import { Outbox } from '../../src-main/core/outbox'
import { SyncEngine } from '../../src-main/core/sync'
import { startSandbox, type RunningSandbox } from '../../src-main/sandbox'
import { clientFor } from '../../test/support/sandbox-client'
import { ratioResult, type MetricResult } from '../results-schema'
import { compareInterleaved } from '../rounds'
import { bareConnect, barePostReport, inParallel } from './bare-http'
import { REPORT_TEXT_10KB } from './enqueue'

const REPORTS = 1_000
const CONCURRENCY = 3
/** Generous: the drain's cost grows with the queue's length (docs/BENCHMARKS.md). */
const DRAIN_TIMEOUT_MS = 600_000

interface DrainRig {
  readonly sandbox: RunningSandbox
  readonly outbox: Outbox
  readonly engine: SyncEngine
  readonly targets: readonly string[]
  close(): Promise<void>
}

async function openRig(): Promise<DrainRig> {
  const sandbox = await startSandbox({ appointments: Math.ceil(REPORTS * 1.5), domains: ['demo'], seed: 9 })
  const targets = sandbox.admin.pendingAppointmentIds('demo', REPORTS)
  if (targets.length < REPORTS) {
    await sandbox.close()
    throw new Error(`the sandbox has only ${targets.length} pending appointments`)
  }
  const { client, vault, settings } = await clientFor(sandbox, { logger: silentLogger })
  const dir = mkdtempSync(join(tmpdir(), 'qubs-bench-drain-'))
  const outbox = await Outbox.open({
    path: join(dir, 'outbox.sqlite'),
    vault,
    logger: silentLogger,
    connection: settings,
  })
  const engine = new SyncEngine({ outbox, delivery: client, concurrency: CONCURRENCY, logger: silentLogger })
  client.onOutcome((outcome) => engine.recordOutcome(outcome))
  return {
    sandbox,
    outbox,
    engine,
    targets,
    close: async () => {
      await engine.stop()
      await client.close()
      outbox.close()
      await sandbox.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Queues one report per target with the engine stopped (so nothing leaves before the clock starts). */
async function queueReports(rig: DrainRig): Promise<string[]> {
  await rig.engine.stop()
  const ids: string[] = []
  for (const appointmentId of rig.targets) {
    const entry = await rig.outbox.enqueueReport('demo', appointmentId, {
      reportText: REPORT_TEXT_10KB,
      reportStatus: 'preliminary',
    })
    ids.push(entry.id)
  }
  return ids
}

async function drain(rig: DrainRig): Promise<void> {
  const result = await rig.engine.drainUntilIdle({ timeoutMs: DRAIN_TIMEOUT_MS })
  if (!result.idle || result.remaining > 0) throw new Error(`the drain left ${result.remaining} entries`)
}

export async function drainRatio(rounds: number): Promise<MetricResult> {
  const rig = await openRig()
  const bare = await bareConnect(rig.sandbox)
  const body = JSON.stringify({
    reportText: REPORT_TEXT_10KB,
    reportStatus: 'preliminary',
    reportedAtUtc: new Date().toISOString(),
  })
  try {
    const comparison = await compareInterleaved({
      app: { name: 'SyncEngine drain', prepare: () => queueReports(rig), run: () => drain(rig) },
      floor: {
        name: 'bare undici POSTs',
        run: () =>
          inParallel(rig.targets, CONCURRENCY, async (appointmentId) => {
            const status = await barePostReport(bare, {
              domain: 'demo',
              appointmentId,
              body,
              idempotencyKey: crypto.randomUUID(),
            })
            if (status < 200 || status > 299) throw new Error(`bare POST answered ${status}`)
          }),
      },
      rounds,
      // No warm-up round: one drain of 1 000 takes minutes on a loaded 2-core machine (its cost grows with
      // the queue, docs/BENCHMARKS.md) and the whole bench must finish in 15.
      warmupRounds: 0,
    })
    return ratioResult(
      comparison,
      `${REPORTS} reports of 10 KB, concurrency ${CONCURRENCY}, ${rounds} rounds`,
    )
  } finally {
    await bare.dispatcher.close()
    await rig.close()
  }
}

export interface FaultedDrainFigures {
  readonly drainExactlyOnceUnderFaults: MetricResult
  readonly drainMsUnderFaults: MetricResult
}

/** Every queued entry delivered, and the sandbox committed exactly one report per entry's key. */
export async function drainUnderFaults(): Promise<FaultedDrainFigures> {
  const rig = await openRig()
  try {
    await queueReports(rig)
    const keys = new Set(rig.outbox.list().map((e) => e.idempotencyKey))
    rig.sandbox.admin.setFaults({ rate: 0.2, seed: 14 })
    const start = performance.now()
    await drain(rig)
    const ms = performance.now() - start
    rig.sandbox.admin.clearFaults()
    const effects = rig.sandbox.admin.effects().filter((e) => e.kind === 'report')
    const perKey = new Map<string, number>()
    for (const effect of effects) {
      if (effect.idempotencyKey !== null)
        perKey.set(effect.idempotencyKey, (perKey.get(effect.idempotencyKey) ?? 0) + 1)
    }
    const delivered = rig.outbox.list().filter((e) => e.state === 'delivered').length
    const once = [...keys].filter((k) => perKey.get(k) === 1).length
    const exactlyOnce = delivered === REPORTS && once === REPORTS && effects.length === REPORTS
    const faults = Object.values(rig.sandbox.admin.stats().faults).reduce((a, b) => a + b, 0)
    const note = `${delivered}/${REPORTS} delivered, ${once} keys committed once, ${effects.length} report effects, ${faults} faults injected`
    return {
      drainExactlyOnceUnderFaults: { status: 'measured', value: exactlyOnce, note },
      drainMsUnderFaults: { status: 'measured', value: ms, note },
    }
  } finally {
    await rig.close()
  }
}
