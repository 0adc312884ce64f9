import type { AppointmentKey } from '../../../../src-preload/contract'
import { appointmentRowKey } from '../../db/database'
import { getAttachmentServices } from './attachment-services'
import type { PrefetchSummary } from './prefetch'

/**
 * The attachment feature's public face: the panel the appointment view mounts and the prefetch the
 * shell starts with the most urgent appointments (most urgent first) after each worklist refresh.
 */
export { AttachmentsPanel, type AttachmentsPanelProps } from './AttachmentsPanel'
export {
  createAttachmentServices,
  provideAttachmentServices,
  shareAttachmentCache,
  type AttachmentServices,
} from './attachment-services'
export type { PrefetchProgress, PrefetchSummary } from './prefetch'

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
