import type { WipeRequest, WipeResult, WipedItem } from '../../../src-preload/contract'
import { ContractError } from '../../../src-preload/contract/server'
import type { Logger } from '../../common/logger'
import type { Outbox } from '../outbox'

/**
 * "Wipe local data" on a shared workstation. Always: the renderer's cache key is replaced (the renderer
 * then clears every sealed table, db/cache-session.ts) and main's in-memory caches are emptied. Only
 * with `includeOutbox`, and only when the outbox has nothing waiting: the outbox's entries. Waiting
 * entries refuse the whole outbox part, naming how many. The exported files are never wiped: a held
 * entry counts as "not waiting" once exported, so its export may be the only copy of a report QUBS
 * did not take — deleting it with the entry would lose the report (the person deletes them).
 */
export interface LocalWipeOptions {
  readonly outbox: Pick<Outbox, 'wipeFinished'> | null
  readonly replaceCacheKey: (() => Promise<void>) | null
  /** Main's caches of PHI (worklist results, sites, attachment bytes). */
  readonly caches: readonly { clear(): void }[]
  readonly logger: Logger
}

export class LocalWipe {
  readonly #options: Readonly<LocalWipeOptions>

  constructor(options: Readonly<LocalWipeOptions>) {
    this.#options = options
  }

  async wipe(request: WipeRequest): Promise<WipeResult> {
    const { outbox, replaceCacheKey, caches, logger } = this.#options
    const wiped: WipedItem[] = []
    if (request.includeOutbox) {
      if (!outbox) throw new ContractError('unavailable', 'the outbox is not open')
      // Checked first, so a refusal leaves everything as it was (the person can export, then wipe).
      const outcome = outbox.wipeFinished()
      if (!outcome.wiped) {
        const n = outcome.waiting
        throw new ContractError(
          'refused',
          `${n} ${n === 1 ? 'submission is' : 'submissions are'} still waiting to be delivered or exported; nothing was wiped`,
        )
      }
      wiped.push('outbox')
    }
    for (const cache of caches) cache.clear()
    wiped.push('main-caches')
    if (replaceCacheKey) {
      await replaceCacheKey()
      wiped.push('renderer-cache-key')
    }
    logger.info('local data wiped', { count: wiped.length, kind: wiped.join(',') })
    return { wiped: [...wiped].sort() }
  }
}
