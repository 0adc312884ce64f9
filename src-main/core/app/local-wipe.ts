import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { WipeRequest, WipeResult, WipedItem } from '../../../src-preload/contract'
import { ContractError } from '../../../src-preload/contract/server'
import type { Logger } from '../../common/logger'
import type { Outbox } from '../outbox'
import { EXPORTS_DIR } from './outbox-actions'

/**
 * "Wipe local data" on a shared workstation. Always: the renderer's cache key is replaced (the renderer
 * then clears every sealed table, db/cache-session.ts) and main's in-memory caches are emptied. Only
 * with `includeOutbox`, and only when the outbox has nothing waiting: the outbox's entries and the
 * exported files — an export is the person's copy of an undelivered entry, so it goes only together
 * with the outbox it backs. Waiting entries refuse the whole outbox part, naming how many.
 */
export interface LocalWipeOptions {
  readonly outbox: Pick<Outbox, 'wipeFinished'> | null
  readonly dataDir: string | null
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
    const { outbox, dataDir, replaceCacheKey, caches, logger } = this.#options
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
      if (dataDir) {
        await rm(join(dataDir, EXPORTS_DIR), { recursive: true, force: true })
        wiped.push('exports')
      }
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
