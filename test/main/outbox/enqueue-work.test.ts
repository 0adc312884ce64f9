import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Outbox } from '../../../src-main/core/outbox'
import { SCHEMA_VERSION } from '../../../src-main/core/outbox/database'
import { harness, PHI, type Harness } from './support'

/**
 * The work one enqueue does (issue 14, `enqueueRatio`): counted, not timed. Each enqueue is its own
 * durable COMMIT; what it may add on top of the floor's INSERT is bounded here.
 */

const PDF = Buffer.from('%PDF-1.7\n% test report attachment\n', 'latin1')

/** Every kind of enqueue, a caller's key and its re-run, and the reads the UI makes. */
async function everyKindOfEnqueue(outbox: Outbox, round: number): Promise<void> {
  await outbox.enqueueReport('acme', `R${round}`, { reportText: PHI.reportText, reportStatus: 'preliminary' })
  await outbox.enqueueReport('acme', `R${round}`, { reportText: PHI.finalText, reportStatus: 'final' })
  await outbox.enqueueComment('acme', `C${round}`, { commentText: PHI.commentText })
  await outbox.enqueueReportAttachment('acme', `R${round}`, {
    fileName: 'report.pdf',
    contentType: 'application/pdf',
    bytes: PDF,
  })
  const keyed = { reportText: PHI.reportText, reportStatus: 'final' as const }
  await outbox.enqueueReport('demo', `K${round}`, keyed, { idempotencyKey: `key-${round}` })
  await outbox.enqueueReport('demo', `K${round}`, keyed, { idempotencyKey: `key-${round}` })
  outbox.findBySubmissionKey(`key-${round}`)
}

/** Index names on `entries`, and the plan of a query as one string. */
function entriesIndexes(db: DatabaseSync): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'entries' ORDER BY name")
    .all()
    .map((row) => String(row.name))
}

function planOf(db: DatabaseSync, sql: string): string {
  const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1)
  return db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((row) => String(row.detail))
    .join(' | ')
}

/** Plan steps that read more than the rows asked for: a scan, a range over every earlier row, a sort. */
const COSTLY = [/\bSCAN (?:e|p|entries)\b/g, /INTEGER PRIMARY KEY \(rowid[<>]/g, /TEMP B-TREE/g]
const count = (plan: string, step: RegExp) => (plan.match(step) ?? []).length

describe('the work of an enqueue (issue 14)', () => {
  let h: Harness
  beforeEach(() => {
    h = harness()
  })
  afterEach(() => {
    vi.restoreAllMocks()
    h.cleanup()
  })

  it('prepares each statement once per open outbox: later enqueues prepare nothing', async () => {
    const outbox = await h.open()
    await everyKindOfEnqueue(outbox, 0)
    const prepare = vi.spyOn(DatabaseSync.prototype, 'prepare')
    for (let round = 1; round <= 5; round += 1) await everyKindOfEnqueue(outbox, round)
    expect(prepare).not.toHaveBeenCalled()
    // The statements still work after many uses (each run resets its statement).
    expect(outbox.list({ appointmentId: 'R5' })).toHaveLength(3)
    outbox.close()
  })

  it('returns the summary the entry reads back as, blocked behind a held report or not', async () => {
    const outbox = await h.open()
    const first = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.reportText,
      reportStatus: 'final',
    })
    expect(first).toEqual(outbox.get(first.id))
    const attempt = outbox.delivery.beginAttempt(first.id, 'report', first.idempotencyKey)
    outbox.delivery.markHeld(first.id, attempt, {
      reason: 'invalid',
      detail: 'refused',
      mayHaveCommitted: false,
    })
    const behind = await outbox.enqueueReport('acme', 'A1', {
      reportText: PHI.finalText,
      reportStatus: 'final',
    })
    expect(behind.blockedByHeld).toBe(true)
    expect(behind).toEqual(outbox.get(behind.id))
    const comment = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    expect(comment).toEqual(outbox.get(comment.id))
    const file = await outbox.enqueueReportAttachment('acme', 'A1', {
      fileName: 'report.pdf',
      contentType: 'application/pdf',
      bytes: PDF,
    })
    expect(file).toEqual(outbox.get(file.id))
    outbox.close()
  })

  it('writes a queued report into the table and only the indexes it is found by', async () => {
    const outbox = await h.open()
    const reports = 40
    for (let i = 0; i < reports; i += 1) {
      await outbox.enqueueReport('acme', `A${i}`, { reportText: PHI.reportText, reportStatus: 'final' })
    }
    outbox.close()
    const db = new DatabaseSync(h.path)
    try {
      const cells = new Map(
        db
          .prepare("SELECT name, SUM(ncell) AS cells FROM dbstat WHERE pagetype = 'leaf' GROUP BY name")
          .all()
          .map((row) => [String(row.name), Number(row.cells)]),
      )
      const written = entriesIndexes(db).filter((name) => (cells.get(name) ?? 0) >= reports)
      // The unique id and idempotency key, and the drain's two indexes (lane-queries.ts).
      expect(written).toEqual([
        'entries_by_state_due',
        'entries_open_by_lane',
        'sqlite_autoindex_entries_1',
        'sqlite_autoindex_entries_2',
      ])
    } finally {
      db.close()
    }
  })

  it('upgrades an outbox written with the indexes of schema 4 to the current one, keeping every entry and key', async () => {
    const outbox = await h.open()
    const keyed = await outbox.enqueueReport(
      'acme',
      'A1',
      { reportText: PHI.reportText, reportStatus: 'final' },
      { idempotencyKey: 'caller-key-1' },
    )
    const plain = await outbox.enqueueComment('acme', 'A1', { commentText: PHI.commentText })
    outbox.close()
    const db = new DatabaseSync(h.path)
    db.exec(`
      DROP INDEX entries_by_submission_key;
      DROP INDEX entries_attachments_by_appointment;
      DROP INDEX entries_by_state_due;
      CREATE INDEX entries_by_state_due
        ON entries (state, discarded_at, next_attempt_at, kind, domain, appointment_id, id);
      CREATE INDEX entries_by_appointment ON entries (domain, appointment_id, seq);
      CREATE INDEX entries_by_state ON entries (state, next_attempt_at);
      CREATE UNIQUE INDEX entries_by_submission_key ON entries (submission_key);
      PRAGMA user_version = 4;
    `)
    db.close()
    const upgraded = await h.open()
    expect(upgraded.diagnostics().schemaVersion).toBe(SCHEMA_VERSION)
    expect(upgraded.get(keyed.id)).toEqual(keyed)
    expect(upgraded.get(plain.id)).toEqual(plain)
    expect(upgraded.findBySubmissionKey('caller-key-1')?.id).toBe(keyed.id)
    upgraded.close()
    const after = new DatabaseSync(h.path)
    expect(entriesIndexes(after)).toEqual([
      'entries_attachments_by_appointment',
      'entries_by_state_due',
      'entries_by_submission_key',
      'entries_open_by_lane',
      'sqlite_autoindex_entries_1',
      'sqlite_autoindex_entries_2',
    ])
    after.close()
  })

  it('keeps no index that no query needs: without any one of them, some outbox query scans', async () => {
    const sqlTexts = new Set<string>()
    const original = DatabaseSync.prototype.prepare
    vi.spyOn(DatabaseSync.prototype, 'prepare').mockImplementation(function (this: DatabaseSync, sql) {
      if (/^\s*(SELECT|UPDATE|DELETE)\b[\s\S]*\bentries\b/i.test(sql)) sqlTexts.add(sql)
      return original.call(this, sql)
    })
    const outbox = await h.open()
    await everyKindOfEnqueue(outbox, 0)
    outbox.delivery.counts()
    outbox.delivery.nextDueAt()
    outbox.close()
    vi.restoreAllMocks()
    const db = new DatabaseSync(h.path)
    try {
      const queries = [...sqlTexts]
      expect(queries.length).toBeGreaterThan(10)
      const before = new Map(queries.map((sql) => [sql, planOf(db, sql)]))
      const unneeded: string[] = []
      for (const index of entriesIndexes(db).filter((name) => !name.startsWith('sqlite_autoindex'))) {
        db.exec('BEGIN')
        db.exec(`DROP INDEX ${index}`)
        const worse = queries.some((sql) => {
          const [plan, was] = [planOf(db, sql), before.get(sql) ?? '']
          return COSTLY.some((step) => count(plan, step) > count(was, step))
        })
        db.exec('ROLLBACK')
        if (!worse) unneeded.push(index)
      }
      expect(unneeded).toEqual([])
    } finally {
      db.close()
    }
  })
})
