import type { AttachmentView } from '../../../../src-preload/contract'
import { fetchAttachment, type FetchedAttachment } from '../../bridge/transfers'
import { appointmentRowKey, attachmentRowKey } from '../../db/database'
import type { AttachmentCache, CachedAttachment } from '../../db/attachment-cache'
import { ipcFailureOf } from '../../ui/error-message'

/**
 * Where the viewer and the prefetcher get an attachment's bytes: the encrypted cache first, QUBS (via
 * main, which re-requests an expired presigned URL on its own) otherwise. Concurrent asks for the same
 * file share one download, so a click during a prefetch does not fetch twice.
 */
export type DownloadAttachment = (
  domain: string,
  appointmentId: string,
  guid: string,
) => Promise<FetchedAttachment>

export interface AttachmentSourceOptions {
  readonly cache: AttachmentCache
  /** The current cache cap (a pref the person may change). */
  readonly capBytes: () => Promise<number>
  readonly download?: DownloadAttachment
}

export interface OpenedAttachment extends CachedAttachment {
  /** False when the file could not be kept (larger than the cap). */
  readonly cached: boolean
}

export type CacheChangeListener = (domain: string, appointmentId: string) => void

export interface StoreOptions {
  /** Files the caller wants kept while it adds more (a prefetch run's earlier files). */
  readonly keep?: ReadonlySet<string>
}

export class AttachmentSource {
  readonly #cache: AttachmentCache
  readonly #capBytes: () => Promise<number>
  readonly #download: DownloadAttachment
  readonly #inFlight = new Map<string, Promise<{ file: CachedAttachment; stored: boolean }>>()
  readonly #listeners = new Set<CacheChangeListener>()
  /** Appointment row key → guid → version that QUBS had no content for (memory only: no PHI). */
  readonly #withoutContent = new Map<string, Map<string, string | null>>()

  constructor(options: Readonly<AttachmentSourceOptions>) {
    this.#cache = options.cache
    this.#capBytes = options.capBytes
    this.#download = options.download ?? fetchAttachment
  }

  get cache(): AttachmentCache {
    return this.#cache
  }

  /** Told whenever files of an appointment were added to or removed from the cache. */
  onChange(listener: CacheChangeListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The files of an appointment QUBS answered `no-content` for, with the version asked about. */
  withoutContent(domain: string, appointmentId: string): ReadonlyMap<string, string | null> {
    return new Map(this.#withoutContent.get(appointmentRowKey(domain, appointmentId)))
  }

  /** Keeps an appointment's attachment list for offline use and tells the listeners. */
  async rememberList(domain: string, appointmentId: string, items: readonly AttachmentView[]): Promise<void> {
    await this.#cache.writeList(domain, appointmentId, items)
    this.#notify(domain, appointmentId)
  }

  /**
   * The bytes to show. A cached copy that is current (same lastModifiedDateTime as the list says) is
   * used as is — offline too. A changed one is fetched again, falling back to the cached copy when
   * QUBS cannot be reached: an older referral beats none, and the list shows its date.
   */
  async open(
    domain: string,
    appointmentId: string,
    view: Readonly<AttachmentView>,
  ): Promise<OpenedAttachment> {
    const cached = await this.#cache.read(domain, appointmentId, view.guid)
    if (cached && cached.lastModifiedDateTime === view.lastModifiedDateTime)
      return { ...cached, cached: true }
    try {
      const { file, stored } = await this.#fetchAndStore(domain, appointmentId, view, {})
      return { ...file, cached: stored }
    } catch (error) {
      if (cached) return { ...cached, cached: true }
      throw error
    }
  }

  /** Downloads and caches a file unless its current version is cached; false when it did not fit. */
  async ensureCached(
    domain: string,
    appointmentId: string,
    view: Readonly<AttachmentView>,
    options: Readonly<StoreOptions> = {},
  ): Promise<boolean> {
    const versions = await this.#cache.cachedVersions(domain, appointmentId)
    if (versions.has(view.guid) && versions.get(view.guid) === view.lastModifiedDateTime) return true
    return (await this.#fetchAndStore(domain, appointmentId, view, options)).stored
  }

  #fetchAndStore(
    domain: string,
    appointmentId: string,
    view: Readonly<AttachmentView>,
    options: Readonly<StoreOptions>,
  ): Promise<{ file: CachedAttachment; stored: boolean }> {
    const key = attachmentRowKey(domain, appointmentId, view.guid)
    const running = this.#inFlight.get(key)
    if (running) return running
    const task = (async () => {
      const fetched = await this.#downloadNoting(domain, appointmentId, view)
      const file: CachedAttachment = {
        bytes: fetched.bytes,
        contentType: fetched.contentType,
        sha256: fetched.sha256,
        lastModifiedDateTime: view.lastModifiedDateTime,
      }
      // The cipher copies the bytes before sealing; the caller keeps `file.bytes` intact.
      const result = await this.#cache.write(
        { ...file, domain, appointmentId, guid: view.guid },
        { capBytes: await this.#capBytes(), ...(options.keep ? { keep: options.keep } : {}) },
      )
      this.#notify(domain, appointmentId)
      for (const evicted of result.evicted) {
        if (evicted.domain !== domain || evicted.appointmentId !== appointmentId) {
          this.#notify(evicted.domain, evicted.appointmentId)
        }
      }
      return { file, stored: result.stored }
    })().finally(() => this.#inFlight.delete(key))
    this.#inFlight.set(key, task)
    return task
  }

  /** Downloads, remembering whether QUBS has content for this version, and tells the listeners when that changed. */
  async #downloadNoting(domain: string, appointmentId: string, view: Readonly<AttachmentView>) {
    const key = appointmentRowKey(domain, appointmentId)
    const noted = this.#withoutContent.get(key) ?? new Map<string, string | null>()
    const before = noted.get(view.guid)
    try {
      const fetched = await this.#download(domain, appointmentId, view.guid)
      noted.delete(view.guid)
      return fetched
    } catch (error) {
      if (ipcFailureOf(error)?.code === 'no-content') noted.set(view.guid, view.lastModifiedDateTime)
      throw error
    } finally {
      if (noted.size > 0) this.#withoutContent.set(key, noted)
      else this.#withoutContent.delete(key)
      if (noted.get(view.guid) !== before) this.#notify(domain, appointmentId)
    }
  }

  #notify(domain: string, appointmentId: string): void {
    for (const listener of this.#listeners) listener(domain, appointmentId)
  }
}
