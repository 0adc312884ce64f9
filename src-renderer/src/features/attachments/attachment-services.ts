import { getBridge } from '../../bridge'
import { AttachmentCache, type AttachmentCachePrefs } from '../../db/attachment-cache'
import { createRecordCipher, type RecordCipher } from '../../db/cipher'
import { ReporterDatabase } from '../../db/database'
import { useSettingsStore } from '../../stores/settings-store'
import { AttachmentSource } from './attachment-source'
import { lazyPdfEngine, type PdfEngine } from './pdf-engine'
import { AttachmentPrefetcher, type PrefetchProgress } from './prefetch'

/**
 * Everything the attachment feature needs, built once per page: the encrypted cache (keyed by the
 * cache key main hands over), the byte source, the prefetcher and the PDF engine. Tests and the shell
 * may provide their own (e.g. to share one database and cipher with the other features).
 */
export interface AttachmentServices {
  readonly db: ReporterDatabase
  readonly source: AttachmentSource
  readonly prefetcher: AttachmentPrefetcher
  readonly pdf: PdfEngine
  /** The prefetch count and cache cap in force now (read at each use, so a change applies at once). */
  readonly limits: () => AttachmentCachePrefs
}

export interface AttachmentServicesOptions {
  readonly db: ReporterDatabase
  readonly cache: AttachmentCache
  readonly pdf?: PdfEngine
  /** Defaults to the person's `settings.attachments`; tests give byte-sized caps. */
  readonly limits?: () => AttachmentCachePrefs
  readonly onPrefetchProgress?: (progress: PrefetchProgress | null) => void
}

/** `settings.attachments` as the cache counts it (bytes). */
export function attachmentLimitsFromSettings(): AttachmentCachePrefs {
  const { prefetchCount, cacheCapMB } = useSettingsStore.getState().settings.attachments
  return { prefetchCount, capBytes: cacheCapMB * 1024 * 1024 }
}

export function createAttachmentServices(options: Readonly<AttachmentServicesOptions>): AttachmentServices {
  const { db, cache } = options
  const limits = options.limits ?? attachmentLimitsFromSettings
  const source = new AttachmentSource({ cache, capBytes: async () => limits().capBytes })
  const prefetcher = new AttachmentPrefetcher({
    source,
    listAttachments: (domain, appointmentId) => getBridge().listAttachments(domain, appointmentId),
    connectivity: {
      current: async () => (await getBridge().getConnectivity()).state,
      subscribe: (listener) =>
        getBridge().on('connectivityChanged', (connectivity) => listener(connectivity.state)),
    },
    ...(options.onPrefetchProgress ? { onProgress: options.onPrefetchProgress } : {}),
  })
  return { db, source, prefetcher, pdf: options.pdf ?? lazyPdfEngine, limits }
}

let services: Promise<AttachmentServices> | null = null

async function createDefaultServices(): Promise<AttachmentServices> {
  const key = await getBridge().getCacheKey()
  const cipher = await createRecordCipher(key.keyId, key.rawKey)
  const db = new ReporterDatabase()
  return createAttachmentServices({ db, cache: new AttachmentCache({ db, cipher }) })
}

export function getAttachmentServices(): Promise<AttachmentServices> {
  services ??= createDefaultServices().catch((error: unknown) => {
    services = null
    throw error
  })
  return services
}

/**
 * For the shell: use its open cache (database and cipher, e.g. `db/cache-session.ts`) instead of
 * opening a second one. Call before the first panel mounts or prefetch starts.
 */
export function shareAttachmentCache(
  session: Readonly<{ db: ReporterDatabase; cipher: RecordCipher }>,
  onPrefetchProgress?: (progress: PrefetchProgress | null) => void,
): void {
  provideAttachmentServices(
    createAttachmentServices({
      db: session.db,
      cache: new AttachmentCache({ db: session.db, cipher: session.cipher }),
      ...(onPrefetchProgress ? { onPrefetchProgress } : {}),
    }),
  )
}

/** Hands in the services to use (tests; a shell sharing its database); null forgets them. */
export function provideAttachmentServices(provided: AttachmentServices | null): void {
  services?.then((old) => old.prefetcher.dispose()).catch(() => undefined)
  services = provided ? Promise.resolve(provided) : null
}
