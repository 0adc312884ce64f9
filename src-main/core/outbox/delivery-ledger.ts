import { createHash } from 'node:crypto'
import type { ConnectionSettings } from '../api/settings'
import { bindingMismatch, connectionChangedDetail, holdEntriesOfOtherConnections } from './connection-binding'
import { laneOfColumns, openRows, parseRow, requireRow, type OutboxContext, type ParsedRow } from './context'
import { CommitGroup, type CommitGroupPolicy } from './commit-group'
import { inTransaction } from './database'
import { orderingLane, type EntryRow, type RetryClass } from './entry-row'
import {
  countBlocked,
  dueLaneHeads,
  queuedLaneHeadsByDueTime,
  rawRowBySeq,
  type LaneColumns,
} from './lane-queries'
import { decryptPayload } from './payload-codec'
import type {
  AttemptStep,
  CorruptEntryReport,
  DeliveryResult,
  EntryKind,
  EntryPayload,
  HeldReason,
  LastError,
} from './schemas'

/** What the sender needs to deliver one entry; no PHI (the payload is loaded separately). */
export interface DeliveryTicket {
  readonly id: string
  readonly kind: EntryKind
  readonly domain: string
  readonly appointmentId: string
  /** `orderingLane(...)`: the unit of ordering (an appointment's reports, or this entry alone). */
  readonly lane: string
  readonly idempotencyKey: string
  readonly attempts: number
}

export interface DueHeads {
  /** Heads of lanes that may be sent now, in enqueue order. */
  readonly ready: DeliveryTicket[]
  /** Heads that could not be parsed: their lane waits, everyone else goes on. */
  readonly corrupt: CorruptEntryReport[]
}

export interface StateCounts {
  readonly queued: number
  readonly sending: number
  readonly held: number
  readonly delivered: number
  /** Queued reports waiting behind a held report of their appointment. */
  readonly blocked: number
}

/** Attempt facts that may be stored: codes and ids, never text from the server or the person. */
export interface AttemptFacts {
  readonly error?: LastError | null
  readonly mayHaveCommitted: boolean
}

/** How long an upload-URL key is reused: the server keeps it 15 min; we stop well before. */
export const UPLOAD_KEY_REUSE_MS = 12 * 60 * 1000

/**
 * The longest wait the outbox ever schedules: above the largest backoff and the largest Retry-After it
 * honours. A due time further ahead than this cannot be one we set; it comes from a clock that stepped.
 */
export const MAX_RETRY_DELAY_MS = 24 * 60 * 60 * 1000
/** The shortest wait: an entry is never retried in a tight loop, whatever a caller computes. */
export const MIN_RETRY_DELAY_MS = 250
/** The longest idempotency key QUBS accepts. */
const MAX_KEY_CHARS = 128
/** What a delay computed as NaN (a bug upstream) becomes: neither "now" nor a day. */
const NAN_RETRY_DELAY_MS = 60_000

/** What the sender needs to know about an attachment's upload progress (ids and counts, no PHI). */
export interface UploadState {
  /** The current upload-URL key, when it may still be reused (a replay returns the same GUID). */
  readonly reusableKey: string | null
  /** The GUID of the newest upload URL received; its content may have reached storage. */
  readonly guid: string | null
  /** Distinct upload URLs (attachment records) received since the entry was queued or retried. */
  readonly renewals: number
  /**
   * Upload-URL keys of this submission that QUBS may have seen (a request under them may have reached
   * it), counted from the attempts table: durable across restarts, reset when a person retries.
   */
  readonly keysSeen: number
}

/**
 * The delivery side of the outbox, used by the sync engine: which entries are due, and the state
 * transitions queued → sending → delivered | held | queued (retry). Each transition is one transaction
 * that also records the attempt, so the attempts table and the entry's state never disagree.
 *
 * The attempt row is written *before* the request with `may_have_committed = 1`: if the process dies
 * mid-request, the row says so, and the 23-hour rule can tell when a resend stops being safe.
 */
export class DeliveryLedger {
  readonly #context: OutboxContext
  /**
   * The `seq` of every open row found unreadable: only a parse tells, so the progress counts learn
   * them from one scan of the open rows at open and from the heads the drain parses afterwards,
   * instead of parsing the whole queue for every progress event.
   */
  readonly #unreadable: Set<number>
  /** The "delivered" transitions waiting for their group's durable commit (see commit-group.ts). */
  readonly #delivered: CommitGroup

  constructor(context: OutboxContext) {
    this.#context = context
    this.#delivered = new CommitGroup({
      commit: (writes) => inTransaction(context.db, () => writes.forEach((write) => write())),
    })
    this.#unreadable = new Set(
      openRows(context).flatMap((parsed) => (parsed.ok ? [] : [parsed.report.rowId])),
    )
  }

  /**
   * At start-up (and when an engine starts), entries left `sending` by a crash or a shutdown go back
   * to `queued` with the SAME idempotency key, due at once: the server answers a replay with the
   * original response, so resuming is safe within the key's 24 h.
   */
  recoverInterrupted(): number {
    const { db, clock } = this.#context
    const now = clock.now()
    const ids = inTransaction(db, () => {
      this.#context.statements
        .prepare("UPDATE attempts SET outcome = 'interrupted', finished_at = ? WHERE outcome = 'started'")
        .run(now)
      const sending = this.#context.statements
        .prepare("SELECT id FROM entries WHERE state = 'sending'")
        .all()
        .map((r) => String(r.id))
      this.#context.statements
        .prepare(
          `UPDATE entries SET state = 'queued', next_attempt_at = ?, retry_class = 'transport', updated_at = ?
         WHERE state = 'sending'`,
        )
        .run(now, now)
      return sending
    })
    for (const id of ids) {
      this.#context.logger.warn('interrupted entry resumed', { entryId: id })
      this.#context.notify('changed', id)
    }
    return ids.length
  }

  /**
   * The first open entry of every lane not in `exclude`, if it is queued and due, up to `limit`. A lane
   * is one appointment's reports, or one comment or attachment alone (see `orderingLane`). A lane whose
   * head is held or unreadable is skipped entirely — the later reports of that appointment wait — while
   * every other lane (the same appointment's comments and attachments included) goes on. SQL finds the
   * heads (see lane-queries.ts); only the rows handed out, and unreadable heads met before the limit is
   * reached, are parsed — those are reported in `corrupt` and their lanes wait.
   */
  dueHeads(options: Readonly<{ now: number; exclude: ReadonlySet<string>; limit: number }>): DueHeads {
    this.#rebaseSteppedClock(options.now)
    const ready: DeliveryTicket[] = []
    const corrupt: CorruptEntryReport[] = []
    // Without a connection no binding can be checked: nothing is handed to a sender.
    const connection = this.#context.connection
    const sendable = connection !== null
    if (sendable && options.limit <= 0) return { ready, corrupt }
    for (const parsed of this.#parsedHeads(dueLaneHeads(this.#context.db, options.now), options.exclude)) {
      if (!parsed.ok) {
        corrupt.push(parsed.report)
        continue
      }
      const row = parsed.row
      // The query chose a queued, due head; the parsed row must say so too.
      if (!sendable || row.state !== 'queued' || row.next_attempt_at > options.now) continue
      // Every queued row was checked at open (`holdEntriesOfOtherConnections`) and is bound at enqueue
      // or retry to this connection; checking each row handed out keeps that true per send.
      if (this.#holdIfBoundElsewhere(row, connection)) continue
      ready.push({
        id: row.id,
        kind: row.kind,
        domain: row.domain,
        appointmentId: row.appointment_id,
        lane: orderingLane(row.kind, row.domain, row.appointment_id, row.id),
        idempotencyKey: row.idempotency_key,
        attempts: row.attempts,
      })
      if (ready.length >= options.limit) break
    }
    return { ready, corrupt }
  }

  /** Holds queued entries bound to another connection (see connection-binding.ts); returns how many. */
  holdEntriesOfOtherConnections(): number {
    return holdEntriesOfOtherConnections(this.#context, (entryId, detail) =>
      this.markHeld(entryId, null, { reason: 'connection-changed', detail, mayHaveCommitted: false }),
    )
  }

  #holdIfBoundElsewhere(row: EntryRow, connection: ConnectionSettings): boolean {
    const mismatch = bindingMismatch(row, connection)
    if (mismatch !== 'unbound' && mismatch.length === 0) return false
    const detail = connectionChangedDetail(mismatch)
    this.markHeld(row.id, null, { reason: 'connection-changed', detail, mayHaveCommitted: false })
    return true
  }

  /** The earliest time a queued head becomes due (null when nothing will ever become due by itself). */
  nextDueAt(exclude: ReadonlySet<string> = new Set()): number | null {
    if (this.#context.connection === null) return null
    this.#rebaseSteppedClock(this.#context.clock.now())
    for (const parsed of this.#parsedHeads(queuedLaneHeadsByDueTime(this.#context.db), exclude)) {
      // An unreadable head never becomes due by itself (waking for it would spin).
      if (parsed.ok && parsed.row.state === 'queued') return parsed.row.next_attempt_at
    }
    return null
  }

  counts(): StateCounts {
    const counts = { queued: 0, sending: 0, held: 0, delivered: 0, blocked: 0 }
    const rows = this.#context.statements
      .prepare('SELECT state, COUNT(*) AS n FROM entries WHERE discarded_at IS NULL GROUP BY state')
      .all()
    for (const row of rows) {
      if (typeof row.state === 'string' && row.state in counts)
        counts[row.state as keyof typeof counts] = Number(row.n)
    }
    counts.blocked = countBlocked(this.#context.db, [...this.#unreadable])
    return counts
  }

  /** The candidate heads not in an excluded lane, each parsed (lazily: the caller may stop early). */
  *#parsedHeads(heads: Iterable<LaneColumns>, exclude: ReadonlySet<string>): Generator<ParsedRow> {
    for (const head of heads) {
      if (exclude.has(laneOfColumns(head))) continue
      const raw = rawRowBySeq(this.#context.db, head.seq)
      if (raw === undefined) continue
      const parsed = parseRow(raw)
      if (!parsed.ok) this.#unreadable.add(parsed.report.rowId)
      yield parsed
    }
  }

  /** Entries that can still move without a person: queued or sending, and not behind a held one. */
  countProgressable(): number {
    const counts = this.counts()
    return counts.queued + counts.sending - counts.blocked
  }

  loadPayload(entryId: string): EntryPayload {
    return decryptPayload(this.#context, requireRow(this.#context, entryId))
  }

  /**
   * Marks the entry `sending` and records the attempt as started, durably (FULL), before any byte
   * leaves: after a power cut this row is what tells that the key may have been used, so an entry
   * found after the key's 24 h is held `too-old` instead of sent again (a duplicate at QUBS).
   */
  beginAttempt(entryId: string, step: AttemptStep, idempotencyKey: string | null): number {
    const { db, clock } = this.#context
    const now = clock.now()
    const attemptId = inTransaction(db, () => {
      const updated = this.#context.statements
        .prepare(
          `UPDATE entries SET state = 'sending', attempts = attempts + 1, updated_at = ?
           WHERE id = ? AND state IN ('queued', 'sending')`,
        )
        .run(now, entryId)
      if (Number(updated.changes) !== 1) throw new Error(`outbox entry ${entryId} cannot be claimed`)
      const inserted = this.#context.statements
        .prepare(
          `INSERT INTO attempts (entry_id, step, idempotency_key, started_at, outcome, may_have_committed)
           VALUES (?, ?, ?, ?, 'started', 1)`,
        )
        .run(entryId, step, idempotencyKey, now)
      return Number(inserted.lastInsertRowid)
    })
    this.#context.notify('changed', entryId)
    return attemptId
  }

  /**
   * When the first attempt with the entry's current key that may have reached the server started; null
   * if none may have. The server forgets keys after 24 h, so past ~23 h a resend could apply twice.
   * `exceptAttemptId` leaves out the attempt being settled (it counts as uncertain until it ends).
   */
  uncertainSince(entryId: string, exceptAttemptId: number | null = null): number | null {
    const row = this.#context.statements
      .prepare(
        `SELECT MIN(a.started_at) AS since FROM attempts a JOIN entries e ON e.id = a.entry_id
         WHERE a.entry_id = ? AND a.idempotency_key = e.idempotency_key AND a.may_have_committed = 1
           AND a.id IS NOT ?`,
      )
      .get(entryId, exceptAttemptId)
    return typeof row?.since === 'number' ? row.since : null
  }

  /** A step of a multi-step delivery succeeded (the upload URL was issued); the entry stays `sending`. */
  completeStep(attemptId: number, mayHaveCommitted = true): void {
    this.#finishAttempt(attemptId, 'step-ok', { mayHaveCommitted })
  }

  /**
   * An upload URL arrived: the step is recorded and its GUID stored in one transaction, BEFORE the PUT
   * can leave. From then on a crash, a lost PUT answer or an expired URL leaves the GUID behind, and the
   * next attempt asks QUBS whether that content already arrived instead of uploading it again under a
   * new GUID. A GUID not seen before is one more attachment record on the server: it is counted.
   */
  recordUploadUrl(entryId: string, attemptId: number, guid: string): void {
    const { db, clock } = this.#context
    const now = clock.now()
    inTransaction(db, () => {
      this.#finishAttempt(attemptId, 'step-ok', { mayHaveCommitted: true })
      this.#context.statements
        .prepare(
          `UPDATE entries SET upload_renewals = upload_renewals + (CASE WHEN upload_guid IS ? THEN 0 ELSE 1 END),
           upload_guid = ?, updated_at = ? WHERE id = ?`,
        )
        .run(guid, guid, now, entryId)
    })
  }

  uploadState(entryId: string): UploadState {
    const row = requireRow(this.#context, entryId)
    const seen = this.#context.statements
      .prepare(
        `SELECT COUNT(DISTINCT idempotency_key) AS keys FROM attempts
         WHERE entry_id = ? AND step = 'upload-url' AND may_have_committed = 1
           AND substr(idempotency_key, 1, length(?) + 2) = ? || '.u'`,
      )
      .get(entryId, row.idempotency_key, row.idempotency_key)
    return {
      reusableKey: this.#reusableUploadKey(row),
      guid: row.upload_guid,
      renewals: row.upload_renewals,
      keysSeen: Number(seen?.keys ?? 0),
    }
  }

  /**
   * The stored upload key while it may be used again: within `UPLOAD_KEY_REUSE_MS` of its minting, or
   * at any age when QUBS cannot have seen it (every request under it failed before leaving the
   * machine) — such a key created nothing to be forgotten, and renewing it would only burn a key.
   */
  #reusableUploadKey(
    row: Readonly<{ id: string; upload_key: string | null; upload_key_minted_at: number | null }>,
  ) {
    if (row.upload_key === null || row.upload_key_minted_at === null) return null
    if (this.#context.clock.now() - row.upload_key_minted_at < UPLOAD_KEY_REUSE_MS) return row.upload_key
    const seen = this.#context.statements
      .prepare(
        'SELECT 1 AS found FROM attempts WHERE entry_id = ? AND idempotency_key = ? AND may_have_committed = 1 LIMIT 1',
      )
      .get(row.id, row.upload_key)
    return seen === undefined ? row.upload_key : null
  }

  /**
   * Whether a PUT of this attachment may have reached storage without us seeing the answer (a lost
   * answer, a crash mid-PUT): a later refusal then does not prove the content is not there.
   */
  /**
   * Whether a PUT to the CURRENT upload URL (the one received last) may have landed: only attempts
   * after the latest URL step count, so one old lost answer does not colour every later refusal.
   */
  uploadToCurrentUrlMayHaveLanded(entryId: string, exceptAttemptId: number): boolean {
    const row = this.#context.statements
      .prepare(
        `SELECT 1 AS found FROM attempts WHERE entry_id = ? AND step = 'upload' AND may_have_committed = 1
           AND id IS NOT ? AND id > COALESCE((SELECT MAX(id) FROM attempts WHERE entry_id = ?
             AND step = 'upload-url' AND outcome = 'step-ok'), 0) LIMIT 1`,
      )
      .get(entryId, exceptAttemptId, entryId)
    return row !== undefined
  }

  uploadMayHaveLanded(entryId: string, exceptAttemptId: number | null = null): boolean {
    const row = this.#context.statements
      .prepare(
        `SELECT 1 AS found FROM attempts WHERE entry_id = ? AND step = 'upload' AND may_have_committed = 1
           AND id IS NOT ? LIMIT 1`,
      )
      .get(entryId, exceptAttemptId)
    return row !== undefined
  }

  /**
   * Records a definitive success. `grouped` (the default) joins the current commit group (see
   * commit-group.ts): the promise resolves, and listeners hear of it, once the group is durably
   * committed; with no grouping policy set that is at once. `at-once` commits its own transaction now.
   */
  markDelivered(
    entryId: string,
    attemptId: number,
    result: DeliveryResult,
    commit: 'grouped' | 'at-once' = 'grouped',
  ): Promise<void> {
    const write = () => {
      const now = this.#context.clock.now()
      this.#finishAttempt(attemptId, 'delivered', { mayHaveCommitted: true })
      this.#context.statements
        .prepare(
          `UPDATE entries SET state = 'delivered', delivered_at = ?, result = ?, retry_class = NULL,
           upload_key = NULL, upload_key_minted_at = NULL, upload_guid = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(now, JSON.stringify(result), now, entryId)
    }
    const committed = () => {
      this.#context.logger.info('entry delivered', { entryId })
      this.#context.notify('changed', entryId)
    }
    if (commit === 'grouped') return this.#delivered.add(write, committed)
    inTransaction(this.#context.db, write)
    committed()
    return Promise.resolve()
  }

  /** How "delivered" transitions are grouped into durable commits; null: each commits at once. */
  setDeliveryGrouping(policy: CommitGroupPolicy | null): void {
    this.#delivered.setPolicy(policy)
  }

  /** Answered deliveries waiting for their group's durable commit (still `sending` in the outbox). */
  get pendingDeliveries(): number {
    return this.#delivered.pending
  }

  /** Asks the grouping policy again (a delivery ended without joining the group). */
  recheckDeliveryGroup(): void {
    this.#delivered.recheck()
  }

  /** Durably commits the waiting "delivered" transitions now (stop, close). */
  commitDelivered(): void {
    this.#delivered.commitNow()
  }

  markRetry(
    entryId: string,
    attemptId: number | null,
    options: Readonly<AttemptFacts & { delayMs: number; retryClass: RetryClass }>,
  ): void {
    const { db, clock } = this.#context
    const now = clock.now()
    // Never "now" (a caller's 0 or NaN must not become a tight loop), never beyond the ceiling that
    // lets a stepped clock be recognised (see #rebaseSteppedClock).
    const delayMs = Number.isNaN(options.delayMs)
      ? NAN_RETRY_DELAY_MS
      : Math.min(MAX_RETRY_DELAY_MS, Math.max(MIN_RETRY_DELAY_MS, Math.ceil(options.delayMs)))
    inTransaction(db, () => {
      if (attemptId !== null) this.#finishAttempt(attemptId, 'retry', options)
      this.#context.statements
        .prepare(
          `UPDATE entries SET state = 'queued', next_attempt_at = ?, retry_class = ?, last_error = ?, updated_at = ?
         WHERE id = ?`,
        )
        .run(now + delayMs, options.retryClass, errorJson(options.error), now, entryId)
    })
    this.#context.logger.info('entry will retry', {
      entryId,
      retryInMs: delayMs,
      code: options.error?.code,
      status: options.error?.status,
    })
    this.#context.notify('changed', entryId)
  }

  markHeld(
    entryId: string,
    attemptId: number | null,
    options: Readonly<AttemptFacts & { reason: HeldReason; detail: string }>,
  ): void {
    const { db, clock } = this.#context
    const now = clock.now()
    inTransaction(db, () => {
      if (attemptId !== null) this.#finishAttempt(attemptId, 'held', options)
      this.#context.statements
        .prepare(
          `UPDATE entries SET state = 'held', held_reason = ?, held_detail = ?, held_at = ?, last_error = COALESCE(?, last_error),
           retry_class = NULL, upload_key = NULL, upload_key_minted_at = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(options.reason, options.detail, now, errorJson(options.error), now, entryId)
    })
    this.#context.logger.warn('entry held', {
      entryId,
      reason: options.reason,
      status: options.error?.status,
      requestId: options.error?.requestId,
      correlationId: options.error?.correlationId,
    })
    this.#context.notify('changed', entryId)
  }

  /** Shutdown mid-request: the attempt is closed as interrupted, the entry stays `sending` for resumption. */
  markInterrupted(attemptId: number, mayHaveCommitted = true): void {
    this.#finishAttempt(attemptId, 'interrupted', { mayHaveCommitted })
  }

  /**
   * The idempotency key for the next upload-URL request. Those keys live only 15 minutes on the server,
   * so each is a per-attempt key derived from the entry's key and a generation number, stored (committed)
   * before the request goes out: a crash right after sending reuses it, so a replay returns the same
   * attachment GUID instead of creating another. After `UPLOAD_KEY_REUSE_MS` a new generation is minted,
   * unless QUBS cannot have seen the key (see #reusableUploadKey).
   */
  ensureUploadKey(entryId: string): { readonly key: string; readonly mintedAt: number } {
    const { db, clock } = this.#context
    const row = requireRow(this.#context, entryId)
    const now = clock.now()
    const reusable = this.#reusableUploadKey(row)
    if (reusable !== null && row.upload_key_minted_at !== null) {
      return { key: reusable, mintedAt: row.upload_key_minted_at }
    }
    const generation = row.upload_generation + 1
    // A caller's key may already use all 128 characters the header allows: then the derived key is
    // built on a digest of it, so it still fits (and stays the same for the same entry and generation).
    const suffix = `.u${generation}`
    const base =
      row.idempotency_key.length + suffix.length <= MAX_KEY_CHARS
        ? row.idempotency_key
        : createHash('sha256').update(row.idempotency_key).digest('hex')
    const key = `${base}${suffix}`
    inTransaction(db, () => {
      this.#context.statements
        .prepare(
          `UPDATE entries SET upload_generation = ?, upload_key = ?, upload_key_minted_at = ?, updated_at = ? WHERE id = ?`,
        )
        .run(generation, key, now, now, entryId)
    })
    return { key, mintedAt: now }
  }

  /**
   * Forgets the current upload key (the URL failed or expired); returns the rejection count so far. A
   * refused PUT stored nothing, so the GUID it was for is forgotten too: there is nothing to look for.
   */
  dropUploadKey(entryId: string, rejected: boolean): number {
    const { db, clock } = this.#context
    const now = clock.now()
    inTransaction(db, () => {
      this.#context.statements
        .prepare(
          `UPDATE entries SET upload_key = NULL, upload_key_minted_at = NULL,
           upload_guid = CASE WHEN ? THEN NULL ELSE upload_guid END,
           upload_rejections = upload_rejections + ?, updated_at = ? WHERE id = ?`,
        )
        .run(rejected ? 1 : 0, rejected ? 1 : 0, now, entryId)
    })
    return requireRow(this.#context, entryId).upload_rejections
  }

  /**
   * The network is back (an OS event, a resume from sleep): entries waiting out a transport-failure
   * backoff are made due now. Rate-limited entries keep their time — Retry-After is the server's word.
   */
  expediteTransportRetries(): number {
    const { db, clock } = this.#context
    const now = clock.now()
    return inTransaction(db, () =>
      Number(
        this.#context.statements
          .prepare(
            `UPDATE entries SET next_attempt_at = ? WHERE state = 'queued' AND retry_class = 'transport'
             AND next_attempt_at > ?`,
          )
          .run(now, now).changes,
      ),
    )
  }

  /**
   * Due times are absolute, so a wall clock that steps back (NTP, a dual boot writing local time to the
   * RTC) would stall every waiting entry by the size of the step. A queued entry last scheduled "in the
   * future" (updated_at > now) shows the step: it is given again at most the wait it was scheduled with
   * (and never more than the ceiling), counted from now, and the new time is stored so it stays put.
   */
  #rebaseSteppedClock(now: number): void {
    const { db } = this.#context
    const stepped = this.#context.statements
      .prepare(
        `SELECT id FROM entries WHERE state = 'queued' AND discarded_at IS NULL
           AND (updated_at > ? OR next_attempt_at > ?) AND next_attempt_at > ?`,
      )
      .all(now, now + MAX_RETRY_DELAY_MS, now)
      .map((row) => String(row.id))
    if (stepped.length === 0) return
    inTransaction(db, () => {
      const rebase = this.#context.statements
        .prepare(`UPDATE entries SET next_attempt_at = ? + MIN(MAX(next_attempt_at - updated_at, 0), ?), updated_at = ?
         WHERE id = ?`)
      for (const id of stepped) rebase.run(now, MAX_RETRY_DELAY_MS, now, id)
    })
    this.#context.logger.warn('clock stepped back; waiting entries rescheduled', { count: stepped.length })
  }

  #finishAttempt(attemptId: number, outcome: string, facts: Readonly<AttemptFacts>): void {
    const error = facts.error ?? null
    this.#context.statements
      .prepare(
        `UPDATE attempts SET finished_at = ?, outcome = ?, may_have_committed = ?, status = ?, code = ?,
           request_id = ?, correlation_id = ? WHERE id = ?`,
      )
      .run(
        this.#context.clock.now(),
        outcome,
        facts.mayHaveCommitted ? 1 : 0,
        error?.status ?? null,
        error?.code ?? null,
        error?.requestId ?? null,
        error?.correlationId ?? null,
        attemptId,
      )
  }
}

function errorJson(error: LastError | null | undefined): string | null {
  return error ? JSON.stringify(error) : null
}
