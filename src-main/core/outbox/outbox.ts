import { systemClock, systemRandom, type Clock, type Random } from '../../common/clock'
import { silentLogger, type Logger } from '../../common/logger'
import { attachmentSignatureProblem } from '../api/validation'
import type { Vault } from '../vault/vault'
import { ColumnCipher, columnAad } from './column-cipher'
import {
  OutboxError,
  groupByLane,
  isBlockedByHeld,
  parseRow,
  requireRow,
  summaryOf,
  type OutboxChange,
  type OutboxChangeType,
  type OutboxContext,
} from './context'
import { inTransaction, OutboxOpenError, openOutboxDatabase } from './database'
import { DeliveryLedger } from './delivery-ledger'
import { statementsOf } from './statement-cache'
import { queuedSummary, salvageSummary, toSummary } from './entry-row'
import type { ConnectionSettings } from '../api/settings'
import { bindingOf } from './connection-binding'
import { requireAttachmentRoom } from './attachment-limit'
import { discardHeld, exportEntry, type DiscardOptions } from './held-resolution'
import {
  checkedSubmissionKey,
  findBySubmissionKey,
  requireSameSubmission,
  submissionDigest,
  type EnqueueOptions,
  type SubmissionIdentity,
} from './submission-key'
import { decryptPayload } from './payload-codec'
import {
  purgeExpired,
  wipeFinished,
  type RetentionOptions,
  type PurgeResult,
  type WipeOutcome,
} from './retention'
import {
  AttemptRecordSchema,
  CommentSubmissionSchema,
  EnqueueTargetSchema,
  FrozenCommentTimeSchema,
  FrozenReportTimeSchema,
  ReportAttachmentSubmissionSchema,
  ReportSubmissionSchema,
  type AttemptRecord,
  type CommentSubmission,
  type CorruptEntryReport,
  type EntryKind,
  type EntryState,
  type FrozenComment,
  type FrozenReport,
  type OutboxEntrySummary,
  type ReportAttachmentSubmission,
  type ReportSubmission,
} from './schemas'
import type { z } from 'zod'

export interface OutboxOpenOptions {
  readonly path: string
  readonly vault: Vault
  readonly clock?: Clock
  readonly random?: Random
  readonly logger?: Logger
  /** `quick` (default) runs PRAGMA quick_check at start-up; `full` runs integrity_check. */
  readonly integrityCheck?: 'quick' | 'full'
  /**
   * The QUBS connection configured now. Entries are bound to it at enqueue, sent only to it, and held
   * as `connection-changed` when it no longer matches theirs. Null: nothing can be queued or sent.
   */
  readonly connection: ConnectionSettings | null
  /**
   * Demo and configured workstations never share an outbox: the first open records the mode and any
   * later open in the other mode is refused (`wrong-mode`). Default `configured`.
   */
  readonly mode?: WorkstationMode
}

export type WorkstationMode = 'demo' | 'configured'

export interface OutboxListFilter {
  readonly state?: EntryState
  readonly kind?: EntryKind
  readonly domain?: string
  readonly appointmentId?: string
  /** Discarded entries are hidden unless asked for. */
  readonly includeDiscarded?: boolean
}

const KEY_CHECK_PLAINTEXT = 'qubs-reporter outbox key check v1'
const KEY_CHECK_AAD = 'outbox-meta:key-check'

/**
 * The durable outbox: what the person submitted, frozen with its idempotency key, until QUBS gives a
 * definitive answer. Every method that changes an entry returns only after its transaction committed.
 * The delivery side (claiming, recording attempts, outcomes) lives in `delivery` and is used by the
 * sync engine; this class is what the UI and the CLI use.
 */
export class Outbox {
  readonly delivery: DeliveryLedger
  readonly #context: OutboxContext
  readonly #listeners = new Set<(change: OutboxChange) => void>()
  #closed = false

  private constructor(context: Omit<OutboxContext, 'notify' | 'statements'>) {
    this.#context = {
      ...context,
      statements: statementsOf(context.db),
      notify: (type, entryId) => this.#notify(type, entryId),
    }
    this.delivery = new DeliveryLedger(this.#context)
  }

  static async open(options: Readonly<OutboxOpenOptions>): Promise<Outbox> {
    const logger = (options.logger ?? silentLogger).child('outbox')
    const random = options.random ?? systemRandom
    const dataKey = await options.vault.getDataKey()
    const cipher = new ColumnCipher(dataKey)
    dataKey.fill(0)
    const db = openOutboxDatabase({
      path: options.path,
      logger,
      integrityCheck: options.integrityCheck ?? 'quick',
      probeToken: random.uuid(),
    })
    try {
      verifyOrStoreKeyCheck(db, cipher)
      verifyOrStoreMode(db, options.mode ?? 'configured')
    } catch (error) {
      db.close()
      throw error
    }
    const outbox = new Outbox({
      db,
      cipher,
      clock: options.clock ?? systemClock,
      random,
      logger,
      connection: options.connection,
    })
    const resumed = outbox.delivery.recoverInterrupted()
    const foreign = outbox.delivery.holdEntriesOfOtherConnections()
    logger.info('outbox opened', { count: resumed, attempts: foreign })
    return outbox
  }

  async enqueueReport(
    domain: string,
    appointmentId: string,
    input: ReportSubmission,
    options: Readonly<EnqueueOptions> = {},
  ): Promise<OutboxEntrySummary> {
    this.#assertOpen()
    validate(EnqueueTargetSchema, { domain, appointmentId })
    const parsed = validate(ReportSubmissionSchema, input)
    // The client accepts any offset; the frozen payload says UTC, so an offset is converted here rather
    // than refused (it names the same instant).
    const report: FrozenReport = {
      ...parsed,
      ...validate(FrozenReportTimeSchema, { reportedAtUtc: this.#utcOrNow(parsed.reportedAtUtc) }),
    }
    return this.#enqueue(
      { kind: 'report', domain, appointmentId, inputJson: JSON.stringify(parsed), bytes: null },
      JSON.stringify(report),
      report.reportStatus,
      options,
    )
  }

  async enqueueComment(
    domain: string,
    appointmentId: string,
    input: CommentSubmission,
    options: Readonly<EnqueueOptions> = {},
  ): Promise<OutboxEntrySummary> {
    this.#assertOpen()
    validate(EnqueueTargetSchema, { domain, appointmentId })
    const parsed = validate(CommentSubmissionSchema, input)
    // When the comment was written, frozen now: a comment sent hours later (offline) must not claim the
    // time it was sent, and every resend must carry the same bytes.
    const comment: FrozenComment = {
      ...parsed,
      ...validate(FrozenCommentTimeSchema, { commentDateTime: this.#utcOrNow(parsed.commentDateTime) }),
    }
    return this.#enqueue(
      { kind: 'comment', domain, appointmentId, inputJson: JSON.stringify(parsed), bytes: null },
      JSON.stringify(comment),
      null,
      options,
    )
  }

  async enqueueReportAttachment(
    domain: string,
    appointmentId: string,
    input: ReportAttachmentSubmission,
    options: Readonly<EnqueueOptions> = {},
  ): Promise<OutboxEntrySummary> {
    this.#assertOpen()
    validate(EnqueueTargetSchema, { domain, appointmentId })
    const { bytes, ...meta } = validate(ReportAttachmentSubmissionSchema, input)
    // The rule's own message: it names the expected signature, never the content.
    const mismatch = attachmentSignatureProblem(meta.contentType, bytes)
    if (mismatch !== null) throw new OutboxError('invalid-input', `invalid submission (bytes: ${mismatch})`)
    const metaJson = JSON.stringify(meta)
    return this.#enqueue(
      { kind: 'report-attachment', domain, appointmentId, inputJson: metaJson, bytes },
      metaJson,
      null,
      options,
    )
  }

  /**
   * Binds the submission to the current connection (refusing a domain that is not configured), applies
   * the caller's submission key if any (the same submission returns the existing entry; another one is
   * a `key-conflict`), then commits the encrypted entry.
   */
  async #enqueue(
    identity: SubmissionIdentity,
    payloadJson: string,
    reportStatus: 'preliminary' | 'final' | null,
    options: Readonly<EnqueueOptions>,
  ): Promise<OutboxEntrySummary> {
    this.#assertOpen()
    const { kind, domain, appointmentId, bytes } = identity
    const binding = bindingOf(this.#requireConfigured(domain))
    const submissionKey = checkedSubmissionKey(options.idempotencyKey)
    const digest = submissionDigest(this.#context, identity)
    if (submissionKey !== undefined) {
      const existing = findBySubmissionKey(this.#context, submissionKey)
      if (existing !== null) {
        requireSameSubmission(existing, digest)
        this.#context.logger.info('entry already queued under this key', { entryId: existing.id })
        return summaryOf(this.#context, existing.id)
      }
    }
    const { db, statements, cipher, clock, random } = this.#context
    const id = random.uuid()
    const idempotencyKey = submissionKey ?? random.uuid()
    const now = clock.now()
    const payload = cipher.encryptText(payloadJson, columnAad(id, 'payload'))
    const encryptedBytes = bytes === null ? null : cipher.encrypt(bytes, columnAad(id, 'attachment_bytes'))
    const seq = inTransaction(db, () => {
      if (kind === 'report-attachment') requireAttachmentRoom(this.#context, domain, appointmentId)
      const inserted = statements
        .prepare(
          `INSERT INTO entries (id, kind, domain, appointment_id, idempotency_key, state, report_status, payload,
           attachment_bytes, next_attempt_at, created_at, updated_at, bound_token_url, bound_api_base_url,
           bound_client_id, submission_key, submission_digest)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          kind,
          domain,
          appointmentId,
          idempotencyKey,
          reportStatus,
          payload,
          encryptedBytes,
          now,
          now,
          now,
          binding.bound_token_url,
          binding.bound_api_base_url,
          binding.bound_client_id,
          submissionKey ?? null,
          digest,
        )
      return Number(inserted.lastInsertRowid)
    })
    this.#context.logger.info('entry enqueued', { entryId: id, kind, domain, appointmentId, idempotencyKey })
    const summary = queuedSummary(
      { id, kind, domain, appointmentId, idempotencyKey, reportStatus, enqueuedAt: now },
      isBlockedByHeld(this.#context, { kind, domain, appointment_id: appointmentId, seq }),
    )
    this.#notify('enqueued', id, summary)
    return summary
  }

  /**
   * PHI-free summaries in enqueue order. A row whose record is partly damaged is listed as held with
   * reason `unreadable` (it blocks its appointment and needs a person); `problems()` has the details,
   * and alone reports rows too damaged to name.
   */
  list(filter: Readonly<OutboxListFilter> = {}): OutboxEntrySummary[] {
    this.#assertOpen()
    const rows = this.#context.statements.prepare('SELECT * FROM entries ORDER BY seq').all().map(parseRow)
    const blocked = new Set<number>()
    for (const group of groupByLane(rows.filter((r) => !r.ok || isOpen(r.row))).values()) {
      let behindHeld = false
      for (const parsed of group) {
        if (behindHeld) blocked.add(parsed.ok ? parsed.row.seq : parsed.report.rowId)
        if (!parsed.ok || parsed.row.state === 'held') behindHeld = true
      }
    }
    const summaries: OutboxEntrySummary[] = []
    for (const parsed of rows) {
      const summary = parsed.ok
        ? toSummary(parsed.row, blocked.has(parsed.row.seq))
        : salvageSummary(parsed.raw, () => blocked.has(parsed.report.rowId))
      if (summary === null) continue
      if (filter.state !== undefined && summary.state !== filter.state) continue
      if (filter.kind !== undefined && summary.kind !== filter.kind) continue
      if (filter.domain !== undefined && summary.domain !== filter.domain) continue
      if (filter.appointmentId !== undefined && summary.appointmentId !== filter.appointmentId) continue
      if (!filter.includeDiscarded && summary.discardedAt !== null) continue
      summaries.push(summary)
    }
    return summaries
  }

  /** The entry a caller's submission key names, or null (see submission-key.ts). */
  findBySubmissionKey(key: string): OutboxEntrySummary | null {
    this.#assertOpen()
    const row = findBySubmissionKey(this.#context, key)
    return row === null ? null : summaryOf(this.#context, row.id)
  }

  get(entryId: string): OutboxEntrySummary | null {
    this.#assertOpen()
    const exists = this.#context.statements
      .prepare('SELECT 1 AS found FROM entries WHERE id = ?')
      .get(entryId)
    return exists === undefined ? null : summaryOf(this.#context, entryId)
  }

  /** The attempt history of an entry (no PHI), oldest first. */
  attempts(entryId: string): AttemptRecord[] {
    this.#assertOpen()
    return this.#context.statements
      .prepare(
        `SELECT id, entry_id AS entryId, step, idempotency_key AS idempotencyKey, started_at AS startedAt,
           finished_at AS finishedAt, outcome, may_have_committed AS mayHaveCommitted, status, code,
           request_id AS requestId, correlation_id AS correlationId
         FROM attempts WHERE entry_id = ? ORDER BY id`,
      )
      .all(entryId)
      .map((raw) => AttemptRecordSchema.parse({ ...raw, mayHaveCommitted: raw.mayHaveCommitted === 1 }))
  }

  /** Rows that failed to parse or decrypt: reported for the person and support, never dropped. */
  problems(): CorruptEntryReport[] {
    this.#assertOpen()
    const reports: CorruptEntryReport[] = []
    for (const raw of this.#context.statements.prepare('SELECT * FROM entries ORDER BY seq').all()) {
      const parsed = parseRow(raw)
      if (!parsed.ok) {
        reports.push(parsed.report)
        continue
      }
      const row = parsed.row
      if (row.purged_at !== null || row.payload === null) continue
      try {
        decryptPayload(this.#context, row)
      } catch (error) {
        const problem =
          error instanceof OutboxError && error.message.includes('shape')
            ? 'payload-shape'
            : 'payload-decrypt'
        reports.push({
          rowId: row.seq,
          id: row.id,
          domain: row.domain,
          appointmentId: row.appointment_id,
          problem,
        })
      }
    }
    return reports
  }

  /**
   * The person asks to send a held entry again. It goes back to `queued` in its original place in its
   * appointment's order, with a NEW idempotency key: it is a new submission as far as QUBS is concerned
   * (the old key is either refused with 409, forgotten after 24 h, or tied to an answer we must not
   * replay). The old key stays in the attempts table.
   */
  async retryHeld(entryId: string): Promise<OutboxEntrySummary> {
    this.#assertOpen()
    const { db, statements, clock, random } = this.#context
    const row = requireRow(this.#context, entryId)
    if (row.state !== 'held' || row.discarded_at !== null) {
      throw new OutboxError('bad-state', `outbox entry ${entryId} is ${row.state}, not held`, entryId)
    }
    if (row.held_reason === 'unreadable') {
      throw new OutboxError(
        'unreadable',
        `outbox entry ${entryId} cannot be read back and cannot be resent`,
        entryId,
      )
    }
    // Re-bound to the connection configured now: a retry is how an entry held as `connection-changed`
    // is sent to the current QUBS (as a new submission, with a new key).
    const binding = bindingOf(this.#requireConfigured(row.domain))
    const now = clock.now()
    const newKey = random.uuid()
    inTransaction(db, () => {
      statements
        .prepare(
          `UPDATE entries SET state = 'queued', idempotency_key = ?, held_reason = NULL, held_detail = NULL,
           held_at = NULL, next_attempt_at = ?, retry_class = NULL, upload_key = NULL,
           upload_key_minted_at = NULL, upload_rejections = 0, upload_renewals = 0, updated_at = ?,
           bound_token_url = ?, bound_api_base_url = ?, bound_client_id = ?
         WHERE id = ? AND state = 'held'`,
        )
        .run(
          newKey,
          now,
          now,
          binding.bound_token_url,
          binding.bound_api_base_url,
          binding.bound_client_id,
          entryId,
        )
    })
    this.#context.logger.info('held entry requeued', { entryId, idempotencyKey: newKey })
    this.#notify('changed', entryId)
    return summaryOf(this.#context, entryId)
  }

  /**
   * Writes the entry's content as it decrypts (raw JSON, whatever its shape) with its metadata to a file
   * the person chose. The write is durable (fsync of the file and its directory) before the export is
   * recorded. See held-resolution.ts.
   */
  async exportEntry(entryId: string, filePath: string): Promise<OutboxEntrySummary> {
    this.#assertOpen()
    return exportEntry(this.#context, entryId, filePath)
  }

  /**
   * The person gives up on a held entry, which unblocks the later entries of its appointment: only
   * after a successful export, or with `force` (the encrypted content then stays until retention).
   */
  async discardHeld(entryId: string, options: Readonly<DiscardOptions> = {}): Promise<OutboxEntrySummary> {
    this.#assertOpen()
    return discardHeld(this.#context, entryId, options)
  }

  /** Purges PHI of delivered entries past retention, and old metadata (see retention.ts). */
  purge(options: Readonly<RetentionOptions> = {}): PurgeResult {
    this.#assertOpen()
    return purgeExpired(this.#context, options)
  }

  /** Deletes every entry when none is still waiting (see retention.ts `wipeFinished`). */
  wipeFinished(): WipeOutcome {
    this.#assertOpen()
    return wipeFinished(this.#context)
  }

  /** Durability settings and schema as the open connection sees them: for the support screen and tests. */
  diagnostics(): { journalMode: string; synchronous: number; schemaVersion: number; lockingMode: string } {
    this.#assertOpen()
    const { db } = this.#context
    const one = (pragma: string) => Object.values(db.prepare(`PRAGMA ${pragma}`).get() ?? {})[0]
    return {
      journalMode: String(one('journal_mode')),
      synchronous: Number(one('synchronous')),
      schemaVersion: Number(one('user_version')),
      lockingMode: String(one('locking_mode')),
    }
  }

  /** Listens to every committed change; returns the unsubscribe function. */
  onChange(listener: (change: OutboxChange) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  close(): void {
    if (this.#closed) return
    // Answered deliveries still waiting for their group's commit are recorded before the file closes
    // (a failure leaves them `sending`, resent with the same key at the next open).
    this.delivery.commitDelivered()
    this.#closed = true
    this.#listeners.clear()
    this.#context.db.close()
  }

  get closed(): boolean {
    return this.#closed
  }

  /** The current connection, when it serves `domain`; a `not-configured` OutboxError otherwise. */
  #requireConfigured(domain: string): ConnectionSettings {
    const connection = this.#context.connection
    if (connection === null) {
      throw new OutboxError('not-configured', 'no QUBS connection is configured: nothing can be queued')
    }
    if (!connection.domains.includes(domain)) {
      throw new OutboxError('not-configured', `the domain ${domain} is not configured for this connection`)
    }
    return connection
  }

  /** A given time in UTC, or the clock's now: for the times frozen into a payload at enqueue. */
  #utcOrNow(dateTime: string | undefined): string {
    return dateTime === undefined ? new Date(this.#context.clock.now()).toISOString() : toUtcIso(dateTime)
  }

  #assertOpen(): void {
    if (this.#closed) throw new OutboxError('closed', 'the outbox is closed')
  }

  /** `known`: the entry's summary when the caller already has it (a fresh enqueue), so it is not re-read. */
  #notify(type: OutboxChangeType, entryId: string, known?: OutboxEntrySummary): void {
    if (this.#listeners.size === 0) return
    let entry: OutboxEntrySummary
    try {
      entry = known ?? summaryOf(this.#context, entryId)
    } catch {
      return
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener({ type, entry })
      } catch (error) {
        this.#context.logger.warn('outbox listener failed', { entryId, error })
      }
    }
  }
}

function isOpen(row: { state: EntryState; discarded_at: number | null }): boolean {
  return row.state !== 'delivered' && row.discarded_at === null
}

/**
 * The same instant in UTC (`…Z`). A time already in UTC is kept exactly as given (its precision too); one
 * with an offset is converted. What cannot be parsed is returned unchanged for the schema to refuse.
 */
function toUtcIso(dateTime: string): string {
  if (dateTime.endsWith('Z')) return dateTime
  const at = Date.parse(dateTime)
  return Number.isFinite(at) ? new Date(at).toISOString() : dateTime
}

function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  // Paths and codes only: the issue messages may not quote input, but we don't rely on that.
  const where = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(root)'}:${issue.code}`)
    .join(', ')
  throw new OutboxError('invalid-input', `invalid submission (${where})`)
}

/** Records the workstation mode on first open; refuses an outbox written in the other mode. */
function verifyOrStoreMode(db: OutboxContext['db'], mode: WorkstationMode): void {
  const row = db.prepare("SELECT value FROM meta WHERE name = 'workstation-mode'").get() as
    { value?: unknown } | undefined
  if (row?.value !== undefined) {
    const stored =
      row.value instanceof Uint8Array ? Buffer.from(row.value).toString('utf8') : String(row.value)
    if (stored !== mode) {
      throw new OutboxOpenError(
        'wrong-mode',
        `this outbox belongs to a ${stored} workstation, not a ${mode} one`,
      )
    }
    return
  }
  inTransaction(db, () => {
    db.prepare("INSERT INTO meta (name, value) VALUES ('workstation-mode', ?)").run(Buffer.from(mode, 'utf8'))
  })
}

function verifyOrStoreKeyCheck(db: OutboxContext['db'], cipher: ColumnCipher): void {
  const row = db.prepare("SELECT value FROM meta WHERE name = 'key-check'").get() as
    { value?: unknown } | undefined
  if (row?.value instanceof Uint8Array) {
    let plaintext: string | null
    try {
      plaintext = cipher.decryptText(row.value, KEY_CHECK_AAD)
    } catch {
      plaintext = null
    }
    if (plaintext !== KEY_CHECK_PLAINTEXT) {
      throw new OutboxOpenError('wrong-key', 'the outbox was written with another data key')
    }
    return
  }
  inTransaction(db, () => {
    db.prepare("INSERT INTO meta (name, value) VALUES ('key-check', ?)").run(
      cipher.encryptText(KEY_CHECK_PLAINTEXT, KEY_CHECK_AAD),
    )
  })
}
