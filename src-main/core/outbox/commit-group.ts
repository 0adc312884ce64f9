/**
 * Group commit of the drain's "delivered" transitions (issue 14 §3). Each FULL commit is an fsync of the
 * WAL (≈ 0.7 ms on the reference disk) that blocks the one thread the whole app runs on; one per
 * delivery made the drain an order of magnitude slower than the POSTs it sends. Deliveries that answer
 * close together are therefore written in ONE durable transaction.
 *
 * Why that keeps every promise of the outbox: until its group commits, an answered entry is still
 * `sending` with its attempt `started` (may have committed) — exactly the state of an entry whose POST is
 * in flight. A crash (or power loss) before the commit makes the next start resume it with the SAME
 * idempotency key, and QUBS answers that replay with the original response (kept 24 h for reports and
 * comments): the same outcome as a crash mid-POST, exactly once at QUBS. Nothing is reported as delivered
 * before its transition is durable: the waiting promise (and with it the worker, the entry event, the
 * progress counts and `drainUntilIdle`) resolves only after the group's COMMIT returned. Attachment
 * uploads are not grouped (their URL keys live 15 min on the server; each step commits on its own).
 */

/** When a group is written: at once when the policy says nothing else can join, else after `windowMs`. */
export interface CommitGroupPolicy {
  /** The longest an answered delivery waits for others to join its commit (real time). */
  readonly windowMs: number
  /** With `pending` transitions waiting: true when no other one can join soon (the pool is idle). */
  readonly complete: (pending: number) => boolean
  /** A transition joined and waits (the group was not written at once): its worker frees its slot. */
  readonly joined?: () => void
}

/** Without a policy (no engine attached): every transition commits at once, as its own transaction. */
export const COMMIT_AT_ONCE: CommitGroupPolicy = { windowMs: 0, complete: () => true }

/** The longest window a policy may ask for: the bound on how late "delivered" may be reported. */
export const MAX_COMMIT_WINDOW_MS = 20

interface Waiting {
  readonly write: () => void
  readonly committed: () => void
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

export interface CommitGroupOptions {
  /** Runs the writes in one durable (FULL) transaction. Throws when it could not commit. */
  readonly commit: (writes: readonly (() => void)[]) => void
  readonly setTimer?: (run: () => void, ms: number) => () => void
}

const realTimer = (run: () => void, ms: number): (() => void) => {
  const timer = setTimeout(run, ms)
  return () => clearTimeout(timer)
}

export class CommitGroup {
  readonly #options: Readonly<CommitGroupOptions>
  #policy: CommitGroupPolicy = COMMIT_AT_ONCE
  #waiting: Waiting[] = []
  #cancelTimer: (() => void) | null = null

  constructor(options: Readonly<CommitGroupOptions>) {
    this.#options = options
  }

  /** Replaces the policy (the engine sets its own while it runs); the pending group is written first. */
  setPolicy(policy: CommitGroupPolicy | null): void {
    this.commitNow()
    const next = policy ?? COMMIT_AT_ONCE
    this.#policy = { ...next, windowMs: Math.min(MAX_COMMIT_WINDOW_MS, Math.max(0, next.windowMs)) }
  }

  get pending(): number {
    return this.#waiting.length
  }

  /**
   * Queues `write` (a state transition) for the next group; `committed` runs (notifications) and the
   * promise resolves once it is durably committed. It rejects when that commit failed: the transition
   * did not happen, the entry is still `sending`.
   */
  add(write: () => void, committed: () => void): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.#waiting.push({ write, committed, resolve, reject })
    })
    if (this.#policy.windowMs === 0 || this.#policy.complete(this.#waiting.length)) {
      this.commitNow()
      return done
    }
    if (this.#cancelTimer === null) {
      this.#cancelTimer = (this.#options.setTimer ?? realTimer)(() => this.commitNow(), this.#policy.windowMs)
    }
    this.#policy.joined?.()
    return done
  }

  /** Lets the policy look again (a request ended without joining): writes the group if it is complete. */
  recheck(): void {
    if (this.#waiting.length > 0 && this.#policy.complete(this.#waiting.length)) this.commitNow()
  }

  /** Writes the waiting transitions now, in one durable transaction. */
  commitNow(): void {
    this.#cancelTimer?.()
    this.#cancelTimer = null
    const group = this.#waiting
    if (group.length === 0) return
    this.#waiting = []
    try {
      this.#options.commit(group.map((waiting) => waiting.write))
    } catch (error) {
      for (const waiting of group) waiting.reject(error)
      return
    }
    for (const waiting of group) {
      waiting.committed()
      waiting.resolve()
    }
  }
}
