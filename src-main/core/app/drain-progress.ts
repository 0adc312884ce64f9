import type { OutboxDrainProgress } from '../../../src-preload/contract'
import type { SyncProgress } from '../sync/sync-engine'

/**
 * "N of M delivered" for the outbox drain the sync engine is running, from its state counts: the
 * delivered count when the drain began is the baseline, and M grows if the person queues more while
 * it runs. Between drains it shows the last one's result with `draining: false`.
 */
export class DrainProgress {
  #baseline: number | null = null

  next(counts: Readonly<SyncProgress>): OutboxDrainProgress {
    if (counts.draining && this.#baseline === null) this.#baseline = counts.delivered
    const delivered = Math.max(0, counts.delivered - (this.#baseline ?? counts.delivered))
    if (!counts.draining) this.#baseline = null
    return {
      draining: counts.draining,
      delivered,
      total: delivered + counts.queued + counts.sending,
      queued: counts.queued,
      sending: counts.sending,
      held: counts.held,
    }
  }
}
