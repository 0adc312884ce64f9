import type { Random } from '../../common/clock'

/**
 * When to try an entry again. The QUBS client already retries transient failures a few times within
 * one call; when it gives up, the outbox waits much longer between tries: exponential backoff with full
 * jitter (so many clients coming back online do not stampede), and never less than what the server asked
 * for in Retry-After. A missing or nonsensical value never means "now"; a Retry-After of 0 or a few
 * milliseconds does not either: the wait is the larger of it and the growing backoff, so a QUBS that
 * keeps answering 429 "retry now" is not hammered by back-to-back tries.
 */
export interface RetryPolicyOptions {
  readonly random: Random
  /** The first backoff ceiling. Default 5 s. */
  readonly baseMs?: number
  /** The largest backoff ceiling. Default 5 min: a report should not sit for long once the network is back. */
  readonly maxMs?: number
  /** The smallest delay, so a zero draw does not spin. Default 250 ms. */
  readonly minMs?: number
}

export class RetryPolicy {
  readonly #random: Random
  readonly #baseMs: number
  readonly #maxMs: number
  readonly #minMs: number

  constructor(options: Readonly<RetryPolicyOptions>) {
    this.#random = options.random
    this.#baseMs = options.baseMs ?? 5_000
    this.#maxMs = options.maxMs ?? 5 * 60_000
    this.#minMs = options.minMs ?? 250
  }

  /**
   * The delay before the next try after `failures` consecutive failures (1 for the first), honouring the
   * server's Retry-After when it gave a usable one.
   */
  delayMs(failures: number, retryAfterMs?: number): number {
    const backoff = this.backoffMs(failures)
    if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
      // A little jitter on top of the server's figure, so clients it answered alike do not return together.
      const asked = Math.ceil(
        retryAfterMs + this.#random.next() * Math.min(1_000, retryAfterMs * 0.1 + this.#minMs),
      )
      return Math.max(asked, backoff)
    }
    return backoff
  }

  /** Full jitter: uniform in [min, ceiling], the ceiling doubling per failure up to the maximum. */
  backoffMs(failures: number): number {
    const exponent = Math.max(0, Math.min(30, failures - 1))
    const ceiling = Math.min(this.#maxMs, this.#baseMs * 2 ** exponent)
    return Math.max(this.#minMs, Math.floor(this.#random.next() * ceiling))
  }

  get maxMs(): number {
    return this.#maxMs
  }
}
