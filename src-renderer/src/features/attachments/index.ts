import type { AppointmentKey } from '../../../../src-preload/contract'
import { readAttachmentCachePrefs } from '../../db/attachment-cache'
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
  type AttachmentServices,
} from './attachment-services'
export type { PrefetchSummary } from './prefetch'

/**
 * Caches the attachments of the first N of `keys` (N is the `prefetchCount` pref) while QUBS is
 * reachable. Returns at once with a promise the caller need not await; it never rejects.
 */
export async function prefetchAttachments(keys: readonly AppointmentKey[]): Promise<PrefetchSummary> {
  try {
    const services = await getAttachmentServices()
    const { prefetchCount } = await readAttachmentCachePrefs(services.db)
    return await services.prefetcher.prefetch(keys.slice(0, prefetchCount))
  } catch {
    return { outcome: 'failed', downloaded: 0, alreadyCached: 0, failed: 0 }
  }
}
