import { systemClock, systemRandom, type Clock, type Random } from '../../common/clock'
import { silentLogger, type Logger } from '../../common/logger'
import {
  EntrySender,
  MAX_COMMIT_WINDOW_MS,
  RetryPolicy,
  type DeliveryPort,
  type DeliveryProbe,
  type DeliveryTicket,
  type StateCounts,
  type Outbox,
  type OutboxEntrySummary,
  type RetentionSource,
  type SendOutcome,
} from '../outbox'
import { sleepReal } from '../api/transport'
import type { RequestOutcome } from '../api/request-outcome'
import {
  ConnectivityTracker,
  observationOf,
  type ConnectivityObservation,
  type ConnectivityState,
} from './connectivity'
import { TypedEmitter } from './typed-emitter'

/**
 * The sync engine (design §2): ONE drain loop per outbox that delivers due entries — strictly in order
 * within a lane (an appointment's reports; each comment and attachment is a lane of its own, see
 * `orderingLane`), up to `concurrency` lanes in parallel. It wakes on enqueue, on start-up,
 * when told the network is back or the machine resumed, and on its own backoff timer (online events
 * alone are not trusted: it finds out by trying). Stopping aborts in-flight requests; their entries stay
 * `sending` and are resumed with the same key on the next start.
 */

export type WakeReason = 'start' | 'enqueue' | 'network' | 'resume' | 'timer' | 'manual'

export interface SyncProgress {
  readonly queued: number
  readonly sending: number
  readonly held: number
  readonly delivered: number
  /** Queued entries waiting behind a held entry of their appointment (the UI says why). */
  readonly blocked: number
  /** Appointment queues whose head row cannot be read back (reported, never dropped). */
  readonly unreadable: number
  readonly inFlight: number
  readonly draining: boolean
}

export interface SyncEvents extends Record<string, unknown> {
  /** An entry changed state (or was enqueued, retried, exported, discarded, purged). */
  entry: OutboxEntrySummary
  progress: SyncProgress
  connectivity: ConnectivityState
}

export interface SyncEngineOptions {
  readonly outbox: Outbox
  readonly delivery: DeliveryPort
  readonly clock?: Clock
  readonly random?: Random
  readonly logger?: Logger
  /** Lanes delivered in parallel. Default 3. */
  readonly concurrency?: number
  readonly retry?: Readonly<{ baseMs?: number; maxMs?: number; minMs?: number }>
  /** PHI retention applied by the engine's housekeeping (read again at every pass when a function). */
  readonly retention?: RetentionSource
  /** How often housekeeping (purge) runs while the engine is up. Default 10 min. */
  readonly housekeepingIntervalMs?: number
  /** Test instrumentation: called synchronously after each durable step of a delivery. */
  readonly probe?: DeliveryProbe
  /**
   * How long stop() waits (real time) for deliveries to end after aborting them. One that is still
   * running then is parked: its entry stays `sending` and the next start resumes it with the same key.
   * Default 3 s.
   */
  readonly stopTimeoutMs?: number
}

export const DEFAULT_STOP_TIMEOUT_MS = 3_000

export interface DrainResult {
  /** True when nothing can move without a person: everything delivered, held, or behind a held entry. */
  readonly idle: boolean
  /** Entries still queued or sending (including those blocked behind a held entry). */
  readonly remaining: number
}

export class SyncEngine {
  readonly #outbox: Outbox
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #sender: EntrySender
  readonly #concurrency: number
  readonly #retention: RetentionSource
  readonly #housekeepingIntervalMs: number
  readonly #stopTimeoutMs: number
  readonly #events: TypedEmitter<SyncEvents>
  readonly #connectivity = new ConnectivityTracker()
  /** Ordering lane → entry id, for the entries being delivered right now. */
  readonly #inFlight = new Map<string, string>()
  readonly #workers = new Set<Promise<void>>()
  /** Called after every drain; `true` when the engine stopped (the waiter must settle then). */
  readonly #idleWaiters = new Set<(stopped: boolean) => void>()
  readonly #reportedCorrupt = new Set<number>()
  #started = false
  #stopping = false
  #abort = new AbortController()
  #loop: Promise<void> | null = null
  #dirty = false
  #nudge: (() => void) | null = null
  #timer: AbortController | null = null
  #lastHousekeepingAt = Number.NEGATIVE_INFINITY
  /** Consecutive drain passes that failed in the outbox itself; drives the recovery back-off. */
  #storeFailures = 0
  /** An entry was left `sending` because recording its outcome failed. */
  #strandedSending = false
  #unsubscribe: (() => void) | null = null

  constructor(options: Readonly<SyncEngineOptions>) {
    this.#outbox = options.outbox
    this.#clock = options.clock ?? systemClock
    this.#logger = (options.logger ?? silentLogger).child('sync')
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 3))
    this.#retention = options.retention ?? {}
    this.#housekeepingIntervalMs = options.housekeepingIntervalMs ?? 10 * 60_000
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS
    this.#events = new TypedEmitter<SyncEvents>(this.#logger)
    this.#sender = new EntrySender({
      ledger: options.outbox.delivery,
      port: options.delivery,
      clock: this.#clock,
      policy: new RetryPolicy({ random: options.random ?? systemRandom, ...options.retry }),
      logger: this.#logger,
      ...(options.probe ? { probe: options.probe } : {}),
    })
  }

  on<E extends keyof SyncEvents>(event: E, listener: (payload: SyncEvents[E]) => void): () => void {
    return this.#events.on(event, listener)
  }

  get connectivity(): ConnectivityState {
    return this.#connectivity.current
  }

  get running(): boolean {
    return this.#started
  }

  start(): void {
    if (this.#started) return
    this.#started = true
    this.#stopping = false
    this.#abort = new AbortController()
    this.#unsubscribe = this.#outbox.onChange((change) => {
      this.#events.emit('entry', change.entry)
      // Changes made by our own workers are followed by the worker's completion anyway; anything else
      // (an enqueue, a retry or discard by the person, a recovered entry) may make work due.
      if (!this.#isInFlight(change.entry.id)) this.wake('enqueue')
    })
    // Entries an earlier engine left `sending` (a stop, a crash before this process reopened) resume.
    this.#outbox.delivery.recoverInterrupted()
    // Deliveries that answer while others are in flight share one durable commit (commit-group.ts): it
    // is written once no request is outstanding, or after the window at the latest. A delivery waiting
    // for it has its answer: it frees its request slot (the pool refills at once) but keeps its lane,
    // and its worker — so the progress, the entry events and drainUntilIdle — ends only after the commit.
    this.#outbox.delivery.setDeliveryGrouping({
      windowMs: MAX_COMMIT_WINDOW_MS,
      complete: (pending) => pending >= this.#inFlight.size,
      joined: () => {
        this.#dirty = true
        this.#nudge?.()
      },
    })
    this.#logger.info('sync engine started', { count: this.#concurrency })
    this.wake('start')
  }

  /** Asks for a drain now. `network` and `resume` also cut short transport-failure backoffs. */
  wake(reason: WakeReason): void {
    if (!this.#started || this.#stopping) return
    if (reason === 'network' || reason === 'resume') {
      const expedited = this.#outbox.delivery.expediteTransportRetries()
      if (expedited > 0) this.#logger.info('retries brought forward', { reason, count: expedited })
    }
    this.#dirty = true
    this.#nudge?.()
    if (this.#loop === null) {
      this.#loop = this.#drainLoop().finally(() => {
        this.#loop = null
        this.#afterDrain()
      })
    }
  }

  /**
   * Drains until nothing more can happen without a person, or until `timeoutMs` passes (on the engine's
   * clock). Starts the engine when it is not running. For the CLI's `sync --wait`.
   */
  drainUntilIdle(options: Readonly<{ timeoutMs: number; signal?: AbortSignal }>): Promise<DrainResult> {
    return this.#drainAndWait(() => this.#isIdle(), options)
  }

  /**
   * One pass: every entry due now gets its attempt, then this resolves — entries whose attempt failed
   * wait for their back-off instead of holding the caller. For "try once" callers (the CLI after an
   * enqueue, `sync` without `--wait`). `idle` says whether nothing deliverable is left.
   */
  drainOnce(options: Readonly<{ timeoutMs: number; signal?: AbortSignal }>): Promise<DrainResult> {
    return this.#drainAndWait(() => this.#loop === null && this.#inFlight.size === 0, options)
  }

  async #drainAndWait(
    done: () => boolean,
    options: Readonly<{ timeoutMs: number; signal?: AbortSignal }>,
  ): Promise<DrainResult> {
    const doneSafely = () => {
      try {
        return done()
      } catch {
        return false // the outbox failed: keep waiting for recovery or the timeout
      }
    }
    this.start()
    this.wake('manual')
    const timeout = new AbortController()
    // The caller giving up (Ctrl-C in the CLI) ends the wait like a timeout; the engine keeps its state.
    const onCallerAbort = () => timeout.abort()
    options.signal?.addEventListener('abort', onCallerAbort, { once: true })
    if (options.signal?.aborted) timeout.abort()
    try {
      // Waiters are called after every drain pass (and on stop); the wake above guarantees one pass.
      const finished = new Promise<boolean>((resolve) => {
        const check = (stopped: boolean) => {
          if (stopped || doneSafely()) {
            this.#idleWaiters.delete(check)
            resolve(true)
          }
        }
        this.#idleWaiters.add(check)
      })
      const timedOut = this.#clock.sleep(options.timeoutMs, timeout.signal).then(
        () => false,
        () => false,
      )
      await Promise.race([finished, timedOut])
      try {
        return { idle: this.#isIdle(), remaining: this.#remaining() }
      } catch {
        return { idle: false, remaining: Number.NaN }
      }
    } finally {
      options.signal?.removeEventListener('abort', onCallerAbort)
      timeout.abort()
    }
  }

  /**
   * Aborts in-flight requests (their entries stay `sending` for resumption) and waits for the loop and
   * its workers — at most `stopTimeoutMs`, so that a delivery stuck where no abort reaches it cannot
   * keep the app or the CLI from exiting. Such a delivery is parked, not lost: its entry is still
   * `sending` in the outbox, which the next start puts back with the same idempotency key.
   */
  async stop(): Promise<void> {
    if (!this.#started) return
    this.#stopping = true
    this.#timer?.abort()
    this.#releaseDeliveryGroup()
    this.#abort.abort(new Error('sync engine stopping'))
    this.#nudge?.()
    const bound = new AbortController()
    const ended = await Promise.race([
      Promise.allSettled([this.#loop, ...this.#workers]).then(() => true),
      sleepReal(this.#stopTimeoutMs, bound.signal).then(() => false),
    ])
    bound.abort()
    if (!ended) {
      this.#logger.warn('deliveries still running at stop were parked for the next start', {
        count: this.#inFlight.size,
      })
    }
    this.#releaseDeliveryGroup()
    this.#unsubscribe?.()
    this.#unsubscribe = null
    this.#started = false
    this.#logger.info('sync engine stopped')
    for (const waiter of [...this.#idleWaiters]) waiter(true)
  }

  async #drainLoop(): Promise<void> {
    this.#timer?.abort()
    this.#emitProgress()
    try {
      while (!this.#stopping) {
        this.#dirty = false
        this.#fill()
        if (this.#inFlight.size === 0) {
          if (this.#dirty) continue
          break
        }
        if (this.#dirty) continue
        await new Promise<void>((resolve) => {
          this.#nudge = resolve
        })
        this.#nudge = null
      }
      this.#storeFailures = 0
    } catch (error) {
      // The outbox itself failed (disk full, I/O error, a row the driver cannot read). Spinning would
      // starve everything else: stop this pass and try again on a backing-off timer.
      this.#nudge = null
      this.#dirty = false
      this.#storeFailures += 1
      this.#logger.error('drain pass failed; retrying later', { error, attempts: this.#storeFailures })
    }
  }

  /** Starts a worker for each due appointment head, up to the concurrency bound on requests. */
  #fill(): void {
    // Workers whose answer only waits for its group's commit send nothing: they hold no request slot.
    const requests = this.#inFlight.size - this.#outbox.delivery.pendingDeliveries
    const free = this.#concurrency - requests
    if (free <= 0) return
    const { ready, corrupt } = this.#outbox.delivery.dueHeads({
      now: this.#clock.now(),
      exclude: new Set(this.#inFlight.keys()),
      limit: free,
    })
    for (const report of corrupt) {
      if (this.#reportedCorrupt.has(report.rowId)) continue
      this.#reportedCorrupt.add(report.rowId)
      this.#logger.error('outbox row unreadable; its appointment waits', {
        entryId: report.id,
        domain: report.domain,
        appointmentId: report.appointmentId,
        code: report.problem,
      })
    }
    for (const ticket of ready) this.#startWorker(ticket)
  }

  #startWorker(ticket: DeliveryTicket): void {
    this.#inFlight.set(ticket.lane, ticket.id)
    const worker = this.#sender
      .send(ticket, this.#abort.signal)
      .then(
        (outcome) => this.#observe(outcome),
        (error: unknown) => this.#onWorkerCrash(ticket, error),
      )
      .finally(() => {
        this.#inFlight.delete(ticket.lane)
        this.#workers.delete(worker)
        this.#dirty = true
        this.#nudge?.()
        this.#emitProgress()
        // One fewer in flight: the deliveries waiting for their commit may be all that is left.
        this.#recheckDeliveryGroup()
      })
    this.#workers.add(worker)
  }

  /**
   * Feeds connectivity from an API operation outside the outbox (a worklist read, a site lookup): the
   * services wire the client's outcomes here, so the state never waits for the next drain.
   */
  recordOutcome(outcome: RequestOutcome): void {
    const observation = observationOf(outcome)
    if (observation !== null) this.#recordConnectivity(observation)
  }

  #observe(outcome: SendOutcome): void {
    if (outcome.connectivity === null) return
    this.#recordConnectivity({ state: outcome.connectivity, succeeded: outcome.result === 'delivered' })
  }

  #recordConnectivity(observation: ConnectivityObservation): void {
    const changed = this.#connectivity.observe(observation, this.#clock.now())
    if (changed) {
      this.#logger.info('connectivity changed', { state: changed.state })
      this.#events.emit('connectivity', changed)
    }
  }

  /** A failure outside the classified ones (the database, a bug): keep the entry, back off, log. */
  #onWorkerCrash(ticket: DeliveryTicket, error: unknown): void {
    this.#logger.error('delivery failed unexpectedly', { entryId: ticket.id, error })
    if (this.#stopping) return
    try {
      this.#outbox.delivery.markRetry(ticket.id, null, {
        delayMs: 30_000,
        retryClass: 'other',
        mayHaveCommitted: true,
        error: { code: 'internal', at: this.#clock.now() },
      })
    } catch (inner) {
      // The entry is left `sending` with no worker: put it back once nothing else is in flight.
      this.#strandedSending = true
      this.#logger.error('could not reschedule entry', { entryId: ticket.id, error: inner })
    }
  }

  #afterDrain(): void {
    if (this.#stopping || !this.#started) return
    if (this.#storeFailures === 0 && this.#dirty) {
      this.wake('manual')
      return
    }
    try {
      if (this.#storeFailures > 0 || this.#strandedSending) throw new Error('the outbox needs recovery')
      this.#housekeeping()
      this.#emitProgress()
      this.#scheduleTimer()
    } catch {
      this.#scheduleRecovery()
    }
    for (const waiter of [...this.#idleWaiters]) waiter(false)
  }

  /**
   * An entry whose outcome could not be recorded is still `sending` with no worker. Put it back (same
   * key) once nothing is in flight, so every `sending` row is one no worker owns; on the recovery timer
   * only, so a store that keeps failing is retried at the back-off's pace, not in a loop.
   */
  #recoverStranded(): void {
    if (!this.#strandedSending || this.#inFlight.size > 0) return
    try {
      this.#outbox.delivery.recoverInterrupted()
      this.#strandedSending = false
    } catch (error) {
      this.#logger.error('could not put back interrupted entries', { error })
    }
  }

  /** After the outbox failed: wake again in 1 s, 2 s, 4 s … up to a minute. */
  #scheduleRecovery(): void {
    const delayMs = Math.min(60_000, 1_000 * 2 ** Math.min(Math.max(this.#storeFailures, 1) - 1, 6))
    this.#wakeAfter(delayMs, () => this.#recoverStranded())
  }

  #housekeeping(): void {
    const now = this.#clock.now()
    if (now - this.#lastHousekeepingAt < this.#housekeepingIntervalMs) return
    this.#lastHousekeepingAt = now
    try {
      this.#outbox.purge(typeof this.#retention === 'function' ? this.#retention() : this.#retention)
    } catch (error) {
      this.#logger.error('outbox purge failed', { error })
    }
  }

  /** Sleeps until the earliest backoff ends (or housekeeping is due), then drains again. */
  #scheduleTimer(): void {
    const now = this.#clock.now()
    const nextDue = this.#outbox.delivery.nextDueAt(new Set(this.#inFlight.keys()))
    const housekeepingAt = this.#lastHousekeepingAt + this.#housekeepingIntervalMs
    const at = nextDue === null ? housekeepingAt : Math.min(nextDue, housekeepingAt)
    this.#wakeAfter(Math.max(0, at - now))
  }

  /** The engine's one timer: replaces any pending one, then (optionally prepares and) drains. */
  #wakeAfter(delayMs: number, beforeWake?: () => void): void {
    this.#timer?.abort()
    const timer = new AbortController()
    this.#timer = timer
    this.#clock.sleep(delayMs, timer.signal).then(
      () => {
        if (this.#timer === timer) this.#timer = null
        beforeWake?.()
        this.wake('timer')
      },
      () => undefined,
    )
  }

  #isInFlight(entryId: string): boolean {
    for (const id of this.#inFlight.values()) if (id === entryId) return true
    return false
  }

  #isIdle(): boolean {
    if (this.#outbox.closed) return false
    return this.#loop === null && this.#inFlight.size === 0 && this.#outbox.delivery.countProgressable() === 0
  }

  #remaining(): number {
    const counts = this.#outbox.delivery.counts()
    return counts.queued + counts.sending
  }

  /** Answered deliveries waiting for their group are committed now, and grouping ends (stop). */
  #releaseDeliveryGroup(): void {
    if (this.#outbox.closed) return
    try {
      this.#outbox.delivery.setDeliveryGrouping(null)
    } catch (error) {
      // Their entries stay `sending`: the next start resends them with the same keys.
      this.#logger.error('could not commit answered deliveries', { error })
    }
  }

  #recheckDeliveryGroup(): void {
    if (this.#outbox.closed) return
    try {
      this.#outbox.delivery.recheckDeliveryGroup()
    } catch (error) {
      this.#logger.error('could not commit answered deliveries', { error })
    }
  }

  #emitProgress(): void {
    if (this.#outbox.closed) return
    let counts: StateCounts
    try {
      counts = this.#outbox.delivery.counts()
    } catch (error) {
      this.#logger.error('could not count the outbox', { error })
      return
    }
    this.#events.emit('progress', {
      ...counts,
      unreadable: this.#reportedCorrupt.size,
      inFlight: this.#inFlight.size,
      draining: this.#loop !== null,
    })
  }
}
