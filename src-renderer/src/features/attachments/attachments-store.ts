import { create } from 'zustand'
import type { AttachmentView } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { appointmentRowKey } from '../../db/database'
import { describeAttachmentError } from './attachment-errors'
import { getAttachmentServices, type AttachmentServices } from './attachment-services'

/**
 * The attachment lists the panels show, per appointment: the cached list at once, then QUBS's
 * current list when it answers, and which files are in the offline cache at their current version.
 */
export interface AttachmentListState {
  readonly items: readonly AttachmentView[] | null
  /** guid → cached version (lastModifiedDateTime). */
  readonly cached: ReadonlyMap<string, string | null>
  /** guid → version QUBS answered `no-content` for in this session (a file not uploaded yet). */
  readonly withoutContent: ReadonlyMap<string, string | null>
  /** True while QUBS is being asked. */
  readonly refreshing: boolean
  /** True when the items come from the cache because QUBS could not be asked. */
  readonly stale: boolean
  /** PHI-free. */
  readonly error: string | null
}

interface AttachmentsStoreState {
  readonly lists: Readonly<Record<string, AttachmentListState>>
  load(domain: string, appointmentId: string): Promise<void>
  /** Re-reads which files are cached (after a download, a prefetch or an eviction). */
  refreshCached(domain: string, appointmentId: string): Promise<void>
}

const EMPTY: AttachmentListState = {
  items: null,
  cached: new Map(),
  withoutContent: new Map(),
  refreshing: false,
  stale: false,
  error: null,
}

const subscribed = new WeakSet<AttachmentServices>()

export const useAttachmentsStore = create<AttachmentsStoreState>((set, get) => {
  const patch = (key: string, change: Partial<AttachmentListState>) =>
    set((state) => ({ lists: { ...state.lists, [key]: { ...(state.lists[key] ?? EMPTY), ...change } } }))

  const servicesFor = async () => {
    const services = await getAttachmentServices()
    if (!subscribed.has(services)) {
      subscribed.add(services)
      services.source.onChange((domain, appointmentId) => {
        if (get().lists[appointmentRowKey(domain, appointmentId)])
          void get().refreshCached(domain, appointmentId)
      })
    }
    return services
  }

  return {
    lists: {},
    load: async (domain, appointmentId) => {
      const key = appointmentRowKey(domain, appointmentId)
      patch(key, { refreshing: true, error: null })
      let services: AttachmentServices
      try {
        services = await servicesFor()
      } catch (error) {
        patch(key, { refreshing: false, error: describeAttachmentError(error, 'list') })
        return
      }
      const { source } = services
      const cachedList = await source.cache.readList(domain, appointmentId)
      if (cachedList) patch(key, { items: cachedList.items })
      await get().refreshCached(domain, appointmentId)
      try {
        const items = await getBridge().listAttachments(domain, appointmentId)
        patch(key, { items, stale: false, refreshing: false })
        await source.rememberList(domain, appointmentId, items)
      } catch (error) {
        patch(key, {
          refreshing: false,
          stale: cachedList !== null,
          error: cachedList ? null : describeAttachmentError(error, 'list'),
        })
      }
    },
    refreshCached: async (domain, appointmentId) => {
      try {
        const { source } = await servicesFor()
        patch(appointmentRowKey(domain, appointmentId), {
          cached: await source.cache.cachedVersions(domain, appointmentId),
          withoutContent: source.withoutContent(domain, appointmentId),
        })
      } catch {
        // The markers stay as they were; the next change or load reads them again.
      }
    },
  }
})

export function listStateOf(
  lists: Readonly<Record<string, AttachmentListState>>,
  domain: string,
  appointmentId: string,
): AttachmentListState {
  return lists[appointmentRowKey(domain, appointmentId)] ?? EMPTY
}
