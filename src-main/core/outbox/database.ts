import { chmodSync, closeSync, openSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import type { Logger } from '../../common/logger'

/**
 * Opening the outbox database: durability settings, schema migrations and the start-up checks.
 *
 * - WAL with `synchronous=FULL`: in WAL mode `NORMAL` may lose the last committed transactions on power
 *   loss, and `enqueue` promises the person that a submitted report is on disk.
 * - `locking_mode=EXCLUSIVE`: one process owns the outbox. Two drains (the app and a CLI, say) over one
 *   queue would break per-appointment ordering; a second opener gets a `busy` error instead.
 * - `secure_delete`: purged PHI is overwritten, not left in free pages (it is encrypted anyway).
 * - A start-up integrity check and a write-and-read-back probe: node:sqlite once shipped broken in an
 *   Electron release (electron#47671); better to refuse to start than to accept reports into a store
 *   that cannot keep them.
 */

export type OutboxOpenErrorCode =
  'busy' | 'integrity' | 'probe' | 'schema-too-new' | 'wrong-key' | 'wrong-mode' | 'open'

export class OutboxOpenError extends Error {
  readonly code: OutboxOpenErrorCode

  constructor(code: OutboxOpenErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'OutboxOpenError'
    this.code = code
  }
}

type Migration = (db: DatabaseSync) => void

/** Index i upgrades user_version i → i + 1. Append only; never edit a released migration. */
const MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE entries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('report', 'comment', 'report-attachment')),
        domain TEXT NOT NULL,
        appointment_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'held')),
        report_status TEXT,
        payload BLOB,
        attachment_bytes BLOB,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        retry_class TEXT,
        last_error TEXT,
        held_reason TEXT,
        held_detail TEXT,
        held_at INTEGER,
        upload_generation INTEGER NOT NULL DEFAULT 0,
        upload_key TEXT,
        upload_key_minted_at INTEGER,
        upload_rejections INTEGER NOT NULL DEFAULT 0,
        result TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        delivered_at INTEGER,
        exported_at INTEGER,
        discarded_at INTEGER,
        purged_at INTEGER
      );
      CREATE INDEX entries_by_appointment ON entries (domain, appointment_id, seq);
      CREATE INDEX entries_by_state ON entries (state, next_attempt_at);
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
        step TEXT NOT NULL,
        idempotency_key TEXT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        outcome TEXT NOT NULL,
        may_have_committed INTEGER NOT NULL,
        status INTEGER,
        code TEXT,
        request_id TEXT,
        correlation_id TEXT
      );
      CREATE INDEX attempts_by_entry ON attempts (entry_id, id);
      CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
      CREATE TABLE probe (id INTEGER PRIMARY KEY, token TEXT NOT NULL);
    `)
  },
  (db) => {
    // upload_guid: the attachment GUID of the last PUT that may have reached storage (set before the
    // PUT leaves), so that a later URL renewal first asks QUBS whether that content already arrived
    // instead of uploading it a second time under another GUID. An id, not PHI.
    // upload_renewals: upload URLs requested since storage last answered a PUT; bounds the number of
    // attachment records an entry can create without its content ever reaching storage.
    db.exec(`
      ALTER TABLE entries ADD COLUMN upload_guid TEXT;
      ALTER TABLE entries ADD COLUMN upload_renewals INTEGER NOT NULL DEFAULT 0;
    `)
  },
  (db) => {
    // bound_*: the connection an entry was written for (with its domain column); it is sent nowhere
    // else. Rows written before stay NULL: where they were meant to go is unknown, so they are held as
    // `connection-changed` rather than bound to whatever is configured now (which may be another host).
    // submission_key: the key a caller chose (CLI --key), kept when a retry mints a new wire key;
    // submission_digest: a keyed HMAC of what was submitted, to tell a re-run from another payload.
    db.exec(`
      ALTER TABLE entries ADD COLUMN bound_token_url TEXT;
      ALTER TABLE entries ADD COLUMN bound_api_base_url TEXT;
      ALTER TABLE entries ADD COLUMN bound_client_id TEXT;
      ALTER TABLE entries ADD COLUMN submission_key TEXT;
      ALTER TABLE entries ADD COLUMN submission_digest BLOB;
      CREATE UNIQUE INDEX entries_by_submission_key ON entries (submission_key);
    `)
  },
  (db) => {
    // The drain's per-fill questions (lane-queries.ts) read only index pages, never a row whose
    // encrypted payload spills onto overflow pages (issue 14): entries_by_state_due covers the due
    // heads, the next due time and the state counts; entries_open_by_lane finds an earlier open report
    // of the same appointment. Clear columns only (ids, states, times), no PHI.
    db.exec(`
      CREATE INDEX entries_by_state_due
        ON entries (state, discarded_at, next_attempt_at, kind, domain, appointment_id, id);
      CREATE INDEX entries_open_by_lane ON entries (domain, appointment_id, seq, kind, state)
        WHERE state IS NOT 'delivered' AND discarded_at IS NULL;
    `)
  },
  (db) => {
    // Each index is one more b-tree page an enqueue writes to the WAL and syncs (issue 14: 13 frames
    // per report against the floor's 7). Kept: the unique id and idempotency_key indexes, and the two
    // drain indexes above. entries_by_state is a prefix of entries_by_state_due, which answers every
    // query it did; entries_by_appointment served only the lane check (entries_open_by_lane holds
    // every open row it needs) and the attachment count, which gets an index over attachments alone.
    // The submission-key index holds only caller-chosen keys: still unique, but an enqueue without a
    // key (the app's) no longer adds a NULL to it. A query on `submission_key = ?` implies NOT NULL,
    // so SQLite still uses it.
    db.exec(`
      DROP INDEX entries_by_state;
      DROP INDEX entries_by_appointment;
      DROP INDEX entries_by_submission_key;
      CREATE UNIQUE INDEX entries_by_submission_key ON entries (submission_key)
        WHERE submission_key IS NOT NULL;
      CREATE INDEX entries_attachments_by_appointment ON entries (domain, appointment_id)
        WHERE kind = 'report-attachment' AND discarded_at IS NULL;
    `)
  },
  (db) => {
    // The due lane heads in enqueue order (lane-queries.ts `dueLaneHeads`), read in index order so that
    // a fill stops after the few heads it hands out instead of sorting every queued row first (a sort
    // per fill made the drain quadratic again, issue 14). The drain's state index takes `seq` before
    // `next_attempt_at` rather than a second index beside it: every other query of it binds only
    // `state` and `discarded_at` (or sorts a few heads by due time when the engine goes idle), and each
    // index is one more b-tree page per enqueue's COMMIT. Clear columns only, no PHI.
    // (`entries_queued_by_seq` existed only in development builds of this change, as their schema 5.)
    db.exec(`
      DROP INDEX IF EXISTS entries_queued_by_seq;
      DROP INDEX entries_by_state_due;
      CREATE INDEX entries_by_state_due
        ON entries (state, discarded_at, seq, next_attempt_at, kind, domain, appointment_id, id);
    `)
  },
]

export const SCHEMA_VERSION = MIGRATIONS.length

export interface OpenDatabaseOptions {
  readonly path: string
  readonly logger: Logger
  readonly integrityCheck?: 'quick' | 'full'
  /** A fresh random token for the write-and-read-back probe. */
  readonly probeToken: string
}

export function openOutboxDatabase(options: Readonly<OpenDatabaseOptions>): DatabaseSync {
  let db: DatabaseSync
  try {
    // Private to this user whatever the umask: SQLite gives the -wal and -shm files the same mode.
    if (options.path !== ':memory:') {
      closeSync(openSync(options.path, 'a', 0o600))
      chmodSync(options.path, 0o600)
    }
    db = new DatabaseSync(options.path, { enableForeignKeyConstraints: true, timeout: 0 })
  } catch (error) {
    throw new OutboxOpenError('open', 'the outbox database could not be opened', error)
  }
  try {
    applyPragmas(db)
    checkIntegrity(db, options.integrityCheck ?? 'quick')
    migrate(db, options.logger)
    probeWriteAndRead(db, options.probeToken)
    return db
  } catch (error) {
    db.close()
    if (error instanceof OutboxOpenError) throw error
    if (isBusy(error)) throw new OutboxOpenError('busy', 'the outbox is in use by another process', error)
    throw new OutboxOpenError('open', 'the outbox database could not be prepared', error)
  }
}

function applyPragmas(db: DatabaseSync): void {
  db.exec('PRAGMA locking_mode = EXCLUSIVE')
  const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined
  if (mode?.journal_mode !== 'wal') throw new OutboxOpenError('open', 'the outbox could not switch to WAL')
  db.exec('PRAGMA synchronous = FULL')
  db.exec('PRAGMA foreign_keys = ON')
  db.exec('PRAGMA secure_delete = ON')
}

function checkIntegrity(db: DatabaseSync, depth: 'quick' | 'full'): void {
  const rows = db.prepare(depth === 'full' ? 'PRAGMA integrity_check' : 'PRAGMA quick_check').all()
  const results = rows.map((row) => Object.values(row)[0])
  if (results.length !== 1 || results[0] !== 'ok') {
    throw new OutboxOpenError(
      'integrity',
      `the outbox failed its ${depth} integrity check (${results.length} findings)`,
    )
  }
}

function migrate(db: DatabaseSync, logger: Logger): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number }
  const from = row.user_version
  if (from > SCHEMA_VERSION) {
    throw new OutboxOpenError(
      'schema-too-new',
      `the outbox schema ${from} is newer than this app (${SCHEMA_VERSION})`,
    )
  }
  for (let version = from; version < SCHEMA_VERSION; version += 1) {
    const migration = MIGRATIONS[version]
    if (!migration) throw new OutboxOpenError('open', `missing outbox migration ${version}`)
    inTransaction(db, () => {
      migration(db)
      // user_version lives in the database header, so setting it inside the transaction makes the
      // migration and its version number commit (or roll back) together.
      db.exec(`PRAGMA user_version = ${version + 1}`)
    })
    logger.info('outbox schema migrated', { code: `v${version + 1}` })
  }
}

function probeWriteAndRead(db: DatabaseSync, token: string): void {
  inTransaction(db, () => {
    db.prepare('DELETE FROM probe').run()
    db.prepare('INSERT INTO probe (id, token) VALUES (1, ?)').run(token)
  })
  const back = db.prepare('SELECT token FROM probe WHERE id = 1').get() as { token?: unknown } | undefined
  if (back?.token !== token) throw new OutboxOpenError('probe', 'the outbox did not read back what it wrote')
  db.prepare('DELETE FROM probe').run()
}

/** Runs `work` in one IMMEDIATE transaction; COMMIT has returned (and synced, FULL) when this does. */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = work()
    db.exec('COMMIT')
    return result
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK')
    throw error
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown; errstr?: unknown } | null)?.errcode
  return code === 5 || code === 6 || /database is locked|busy/i.test(String((error as Error)?.message ?? ''))
}
