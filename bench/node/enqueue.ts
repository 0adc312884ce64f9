/**
 * Outbox enqueue (issue #14 §2): 1 000 reports of 10 KB, each its own durable COMMIT (synchronous=FULL),
 * vs raw node:sqlite INSERT + COMMIT of the same bytes with the same settings (WAL, FULL, exclusive lock,
 * secure_delete), both on the same disk, interleaved rounds, each round on a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { silentLogger } from '../../src-main/common/logger'
import { parseConnectionSettings } from '../../src-main/core/api'
import { Outbox } from '../../src-main/core/outbox'
import { MemoryVault } from '../../src-main/core/vault/vault'
import { ratioResult, type MetricResult } from '../results-schema'
import { compareInterleaved } from '../rounds'
import { summarize } from '../stats'

const REPORTS = 1_000
/** 10 KB of report text (ASCII, so 10 240 bytes in UTF-8). */
export const REPORT_TEXT_10KB = 'Bench report text, no patient data. '.repeat(285).slice(0, 10_240)

const CONNECTION = parseConnectionSettings({
  tokenUrl: 'https://auth.bench.invalid/oauth2/token',
  apiBaseUrl: 'https://api.bench.invalid',
  clientId: 'bench-client',
  domains: ['bench'],
})

function rawDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path)
  db.exec('PRAGMA locking_mode = EXCLUSIVE')
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL')
  db.exec('PRAGMA secure_delete = ON')
  db.exec(
    'CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, domain TEXT NOT NULL, appointment_id TEXT NOT NULL, payload BLOB NOT NULL, created_at INTEGER NOT NULL)',
  )
  return db
}

export interface EnqueueFigures {
  readonly enqueuePerSecond: MetricResult
  readonly enqueueP99Ms: MetricResult
  readonly enqueueRatio: MetricResult
}

export async function enqueueFigures(rounds: number): Promise<EnqueueFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'qubs-bench-enqueue-'))
  const payload = Buffer.from(JSON.stringify({ reportText: REPORT_TEXT_10KB, reportStatus: 'final' }))
  const latencies: number[] = []
  let outbox: Outbox | null = null
  let raw: DatabaseSync | null = null
  let round = 0
  try {
    const comparison = await compareInterleaved({
      app: {
        name: 'Outbox.enqueueReport',
        prepare: async () => {
          outbox?.close()
          round += 1
          outbox = await Outbox.open({
            path: join(dir, `outbox-${round}.sqlite`),
            vault: new MemoryVault(),
            logger: silentLogger,
            connection: CONNECTION,
          })
        },
        run: async () => {
          for (let i = 0; i < REPORTS; i += 1) {
            const start = performance.now()
            await outbox!.enqueueReport('bench', `A${i}`, {
              reportText: REPORT_TEXT_10KB,
              reportStatus: 'final',
            })
            latencies.push(performance.now() - start)
          }
        },
      },
      floor: {
        name: 'node:sqlite INSERT + COMMIT',
        prepare: async () => {
          raw?.close()
          round += 1
          raw = rawDatabase(join(dir, `raw-${round}.sqlite`))
        },
        run: async () => {
          const insert = raw!.prepare(
            'INSERT INTO entries (id, domain, appointment_id, payload, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          for (let i = 0; i < REPORTS; i += 1) {
            raw!.exec('BEGIN IMMEDIATE')
            insert.run(crypto.randomUUID(), 'bench', `A${i}`, payload, Date.now())
            raw!.exec('COMMIT')
          }
        },
      },
      rounds,
      warmupRounds: 1,
    })
    // Latencies of the counted rounds only (the warm-up round's come first).
    const counted = latencies.slice(-REPORTS * rounds)
    const perEnqueue = summarize(counted)
    return {
      enqueuePerSecond: {
        status: 'measured',
        value: (REPORTS * 1_000) / comparison.app.median,
        samples: { app: comparison.app },
        note: `${REPORTS} enqueues of 10 KB per round, median round`,
      },
      enqueueP99Ms: { status: 'measured', value: perEnqueue.p99, samples: { enqueue: perEnqueue } },
      enqueueRatio: ratioResult(comparison, `${rounds} rounds of ${REPORTS}`),
    }
  } finally {
    ;(outbox as Outbox | null)?.close()
    ;(raw as DatabaseSync | null)?.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
