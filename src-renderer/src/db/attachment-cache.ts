import { z } from 'zod'
import { AttachmentViewSchema, type AttachmentView } from '../../../src-preload/contract'
import { CacheDecryptError, type RecordCipher } from './cipher'
import {
  appointmentRowKey,
  attachmentRowKey,
  sealAad,
  type AttachmentFileRow,
  type ReporterDatabase,
} from './database'

/**
 * The encrypted offline copy of appointment attachments: each appointment's attachment list (sealed:
 * file names and who added them are PHI) and the files themselves (sealed, the AAD binding the bytes to
 * their domain, appointment and guid, so a file copied under another appointment fails to open instead
 * of showing another patient's referral). A size cap holds the total; the least recently used files go
 * first, and never one that is on screen (pinned).
 */

export interface CachedAttachmentList {
  readonly items: readonly AttachmentView[]
  readonly fetchedAt: number
}

export interface CachedAttachment {
  readonly bytes: Uint8Array
  readonly contentType: string
  readonly sha256: string
  readonly lastModifiedDateTime: string | null
}

export interface AttachmentToCache extends CachedAttachment {
  readonly domain: string
  readonly appointmentId: string
  readonly guid: string
}

export interface CacheWriteOptions {
  readonly capBytes: number
  /** Files that must not be evicted to make room (e.g. the rest of the prefetch run that wrote them). */
  readonly keep?: ReadonlySet<string>
}

export interface EvictedFile {
  readonly key: string
  readonly domain: string
  readonly appointmentId: string
}

export interface CacheWriteResult {
  /** False when the file did not fit under the cap without evicting kept or pinned files. */
  readonly stored: boolean
  readonly evicted: readonly EvictedFile[]
}

export interface AttachmentCacheOptions {
  readonly db: ReporterDatabase
  readonly cipher: RecordCipher
  readonly now?: () => number
}

const ListSchema = z.array(AttachmentViewSchema)

/** Rows read back from IndexedDB are checked like any other input. */
const FileRowSchema = z.object({
  key: z.string(),
  domain: z.string(),
  appointmentId: z.string(),
  guid: z.string(),
  byteLength: z.number().int().nonnegative(),
  contentType: z.string(),
  sha256: z.string(),
  lastModifiedDateTime: z.string().nullable(),
  cachedAt: z.number(),
  lastUsedAt: z.number(),
})
/** By tag, not instanceof: IndexedDB may hand back bytes from another realm (a worker, a test shim). */
const bytesSchema = z.custom<Uint8Array>(
  (value) => Object.prototype.toString.call(value) === '[object Uint8Array]',
  'expected bytes',
)
const SealedSchema = z.object({ iv: bytesSchema, data: bytesSchema })
const BytesRowSchema = z.object({ key: z.string(), sealed: SealedSchema })
const ListRowSchema = z.object({ key: z.string(), fetchedAt: z.number(), sealed: SealedSchema })

export class AttachmentCache {
  readonly #db: ReporterDatabase
  readonly #cipher: RecordCipher
  readonly #now: () => number
  /** Row keys on screen, with how many viewers show each. */
  readonly #pinned = new Map<string, number>()

  constructor(options: Readonly<AttachmentCacheOptions>) {
    this.#db = options.db
    this.#cipher = options.cipher
    this.#now = options.now ?? Date.now
  }

  /** Keeps a file from eviction while it is shown; call the returned function when it is closed. */
  pin(domain: string, appointmentId: string, guid: string): () => void {
    const key = attachmentRowKey(domain, appointmentId, guid)
    this.#pinned.set(key, (this.#pinned.get(key) ?? 0) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const count = (this.#pinned.get(key) ?? 1) - 1
      if (count > 0) this.#pinned.set(key, count)
      else this.#pinned.delete(key)
    }
  }

  async readList(domain: string, appointmentId: string): Promise<CachedAttachmentList | null> {
    const key = appointmentRowKey(domain, appointmentId)
    const raw = await this.#db.attachmentLists.get(key)
    if (!raw) return null
    const row = ListRowSchema.safeParse(raw)
    if (!row.success) return this.#dropList(key)
    try {
      const items = ListSchema.parse(
        await this.#cipher.openJson(sealAad('attachmentLists', key), row.data.sealed),
      )
      return { items, fetchedAt: row.data.fetchedAt }
    } catch (error) {
      if (error instanceof CacheDecryptError || error instanceof z.ZodError) return this.#dropList(key)
      throw error
    }
  }

  async writeList(domain: string, appointmentId: string, items: readonly AttachmentView[]): Promise<void> {
    const key = appointmentRowKey(domain, appointmentId)
    const sealed = await this.#cipher.sealJson(sealAad('attachmentLists', key), items)
    await this.#db.attachmentLists.put({ key, domain, appointmentId, fetchedAt: this.#now(), sealed })
  }

  /** guid → lastModifiedDateTime of every cached file of one appointment (no bytes are read). */
  async cachedVersions(domain: string, appointmentId: string): Promise<ReadonlyMap<string, string | null>> {
    const rows = await this.#db.attachmentFiles
      .where('[domain+appointmentId]')
      .equals([domain, appointmentId])
      .toArray()
    return new Map(rows.map((row) => [row.guid, row.lastModifiedDateTime]))
  }

  /** The file's bytes, decrypted once; touches it for least-recently-used eviction. */
  async read(domain: string, appointmentId: string, guid: string): Promise<CachedAttachment | null> {
    const key = attachmentRowKey(domain, appointmentId, guid)
    const [rawFile, rawBytes] = await this.#db.transaction(
      'r',
      this.#db.attachmentFiles,
      this.#db.attachmentBytes,
      () => Promise.all([this.#db.attachmentFiles.get(key), this.#db.attachmentBytes.get(key)]),
    )
    if (!rawFile && !rawBytes) return null
    const file = FileRowSchema.safeParse(rawFile)
    const stored = BytesRowSchema.safeParse(rawBytes)
    if (!file.success || !stored.success) return this.#dropFile(key)
    let bytes: Uint8Array
    try {
      bytes = await this.#cipher.openBytes(sealAad('attachmentBytes', key), stored.data.sealed)
    } catch (error) {
      if (error instanceof CacheDecryptError) return this.#dropFile(key)
      throw error
    }
    if (bytes.byteLength !== file.data.byteLength) return this.#dropFile(key)
    await this.#db.attachmentFiles.update(key, { lastUsedAt: this.#now() })
    return {
      bytes,
      contentType: file.data.contentType,
      sha256: file.data.sha256,
      lastModifiedDateTime: file.data.lastModifiedDateTime,
    }
  }

  /**
   * Seals and stores one file, then evicts least-recently-used files until the total is under the cap.
   * A pinned file (on screen) is never evicted, nor anything in `keep`; when the new file cannot fit
   * otherwise, it is itself removed again (unless it is pinned: what a person opened stays).
   */
  async write(
    file: Readonly<AttachmentToCache>,
    options: Readonly<CacheWriteOptions>,
  ): Promise<CacheWriteResult> {
    const key = attachmentRowKey(file.domain, file.appointmentId, file.guid)
    const sealed = await this.#cipher.sealBytes(sealAad('attachmentBytes', key), file.bytes)
    const now = this.#now()
    const row: AttachmentFileRow = {
      key,
      domain: file.domain,
      appointmentId: file.appointmentId,
      guid: file.guid,
      byteLength: file.bytes.byteLength,
      contentType: file.contentType,
      sha256: file.sha256,
      lastModifiedDateTime: file.lastModifiedDateTime,
      cachedAt: now,
      lastUsedAt: now,
    }
    const db = this.#db
    return db.transaction('rw', db.attachmentFiles, db.attachmentBytes, async () => {
      await db.attachmentBytes.put({ key, sealed })
      await db.attachmentFiles.put(row)
      const keep = new Set([...(options.keep ?? []), key])
      const evicted = await this.#evictWithin(options.capBytes, keep)
      if ((await this.#totalWithin()) <= options.capBytes || this.#pinned.has(key)) {
        return { stored: true, evicted }
      }
      await this.#deleteWithin([key])
      return { stored: false, evicted }
    })
  }

  /** Brings the cache under a (possibly lowered) cap; returns the evicted row keys. */
  async evictToCap(capBytes: number): Promise<readonly EvictedFile[]> {
    const db = this.#db
    return db.transaction('rw', db.attachmentFiles, db.attachmentBytes, () =>
      this.#evictWithin(capBytes, new Set()),
    )
  }

  /**
   * Drops the lists and files of every appointment not in `keep` (row keys `${domain}/${appointmentId}`),
   * except a file on screen: PHI on disk is kept only while the appointment is still worked on.
   */
  async purgeExcept(keep: ReadonlySet<string>): Promise<number> {
    const db = this.#db
    return db.transaction('rw', db.attachmentFiles, db.attachmentBytes, db.attachmentLists, async () => {
      const files = await db.attachmentFiles
        .filter(
          (row) => !keep.has(appointmentRowKey(row.domain, row.appointmentId)) && !this.#pinned.has(row.key),
        )
        .primaryKeys()
      await this.#deleteWithin(files)
      const lists = await db.attachmentLists.filter((row) => !keep.has(row.key)).primaryKeys()
      await db.attachmentLists.bulkDelete(lists)
      return files.length
    })
  }

  async totalBytes(): Promise<number> {
    return this.#db.transaction('r', this.#db.attachmentFiles, () => this.#totalWithin())
  }

  async #totalWithin(): Promise<number> {
    let total = 0
    await this.#db.attachmentFiles.each((row) => {
      total += row.byteLength
    })
    return total
  }

  async #evictWithin(capBytes: number, keep: ReadonlySet<string>): Promise<EvictedFile[]> {
    let total = await this.#totalWithin()
    if (total <= capBytes) return []
    const victims: EvictedFile[] = []
    await this.#db.attachmentFiles
      .orderBy('lastUsedAt')
      .until(() => total <= capBytes)
      .each((row) => {
        if (keep.has(row.key) || this.#pinned.has(row.key)) return
        victims.push({ key: row.key, domain: row.domain, appointmentId: row.appointmentId })
        total -= row.byteLength
      })
    await this.#deleteWithin(victims.map((victim) => victim.key))
    return victims
  }

  async #deleteWithin(keys: readonly string[]): Promise<void> {
    await this.#db.attachmentFiles.bulkDelete([...keys])
    await this.#db.attachmentBytes.bulkDelete([...keys])
  }

  /** A row that cannot be read (another key, damaged, or an old shape) is dropped and fetched again. */
  async #dropFile(key: string): Promise<null> {
    const db = this.#db
    await db.transaction('rw', db.attachmentFiles, db.attachmentBytes, () => this.#deleteWithin([key]))
    return null
  }

  async #dropList(key: string): Promise<null> {
    await this.#db.attachmentLists.delete(key)
    return null
  }
}

/**
 * The attachment cache's limits: `settings.attachments` in main (the cap there in MB), read at each
 * use so a change applies at once (`features/attachments/attachment-services.ts`). Older versions
 * kept them in the `prefs` table; `features/settings/legacy-prefs.ts` moves that row to main once.
 */
export interface AttachmentCachePrefs {
  /** How many of the most urgent appointments have their attachments prefetched. */
  readonly prefetchCount: number
  /** The total size the cached files may take. */
  readonly capBytes: number
}
