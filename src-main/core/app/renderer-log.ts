import type { RendererLog } from '../../../src-preload/contract'
import type { Clock } from '../../common/clock'
import { redactUntrustedFields, type Logger } from '../../common/logger'

/**
 * The renderer's log records, written to main's log (and so its rotating file) through the same
 * redacting logger as main's own: a message that is not a constant is withheld there, and the page is
 * an untrusted source, so its string fields survive only under the allowed names (codes, states, ids). A page stuck in a loop must not fill the disk, so records pass a token bucket
 * (`burst` at once, refilled at `perSecond`); what is dropped is counted and told in one record when
 * records flow again.
 */
export interface RendererLogOptions {
  readonly logger: Logger
  readonly clock: Clock
  /** Records accepted at once. Default 50. */
  readonly burst?: number
  /** Records accepted per second after a burst. Default 2. */
  readonly perSecond?: number
}

export class RendererLogWriter {
  readonly #logger: Logger
  readonly #clock: Clock
  readonly #burst: number
  readonly #perSecond: number
  #tokens: number
  #refilledAt: number
  #dropped = 0

  constructor(options: Readonly<RendererLogOptions>) {
    this.#logger = options.logger.child('renderer')
    this.#clock = options.clock
    this.#burst = options.burst ?? 50
    this.#perSecond = options.perSecond ?? 2
    this.#tokens = this.#burst
    this.#refilledAt = this.#clock.now()
  }

  /** Records dropped by the rate limit since the last accepted record. */
  get dropped(): number {
    return this.#dropped
  }

  write(record: RendererLog): null {
    if (!this.#take()) {
      this.#dropped += 1
      return null
    }
    const logger = this.#logger.child(record.scope)
    if (this.#dropped > 0) {
      logger.warn('renderer log records dropped by the rate limit', { count: this.#dropped })
      this.#dropped = 0
    }
    logger[record.level](record.message, redactUntrustedFields({ ...record.fields }))
    return null
  }

  #take(): boolean {
    const now = this.#clock.now()
    const elapsed = Math.max(0, now - this.#refilledAt)
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed / 1000) * this.#perSecond)
    this.#refilledAt = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}
