import type { AppointmentKey } from '../../../../src-preload/contract'
import { appointmentRowKey } from '../../db/database'
import { getAttachmentServices } from './attachment-services'
import type { PrefetchSummary } from './prefetch'

/*
 * What the shell runs in the background after each worklist refresh, apart from the panel and its
 * viewers: importing these does not pull the viewers (or pdf.js) into the first screen's chunk.
 */

/**
 * Caches the attachments of the first N of `keys` (N is `settings.attachments.prefetchCount`) while QUBS is
 * reachable. Returns at once with a promise the caller need not await; it never rejects.
 */
export async function prefetchAttachments(keys: readonly AppointmentKey[]): Promise<PrefetchSummary> {
  try {
    const services = await getAttachmentServices()
    const { prefetchCount } = services.limits()
    return await services.prefetcher.prefetch(keys.slice(0, prefetchCount))
  } catch {
    return { outcome: 'failed', downloaded: 0, alreadyCached: 0, failed: 0 }
  }
}

/**
 * Drops cached attachments (lists and files) of every appointment not in `keys`; the shell calls it
 * after a refresh with every appointment it still shows (pending, or kept for a draft or an undelivered
 * submission). A file on screen is kept. Never rejects; answers how many files were dropped.
 */
export async function purgeAttachmentsNotIn(keys: readonly AppointmentKey[]): Promise<number> {
  try {
    const services = await getAttachmentServices()
    const keep = new Set(keys.map((key) => appointmentRowKey(key.domain, key.appointmentId)))
    return await services.source.cache.purgeExcept(keep)
  } catch {
    return 0
  }
}
