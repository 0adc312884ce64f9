import { createHash } from 'node:crypto'
import {
  ATTACHMENT_CHUNK_BYTES,
  type AttachmentChunk,
  type AttachmentDownload,
  type AttachmentView,
} from '../../../src-preload/contract'
import { ContractError } from '../../../src-preload/contract/server'
import type { Logger } from '../../common/logger'
import type { Attachment, QubsClient } from '../api'
import { resolveContentType } from './content-type'
import { readThrough, type ReadPorts } from './read-through'
import { toAttachmentView } from './views'

/**
 * Attachments for the renderer: metadata without the presigned URL (main keeps it, to download with
 * it first while it is valid), and downloads done in main through the client — which asks for a fresh
 * URL whenever one has expired or is refused — then handed over in chunks of ATTACHMENT_CHUNK_BYTES.
 * Downloaded bytes are PHI: they stay in memory only, for TTL_MS, within MAX_STORED_BYTES (oldest
 * dropped first), long enough for the renderer to read the chunks into its encrypted cache.
 */
export const TRANSFER_TTL_MS = 5 * 60 * 1000
export const MAX_STORED_BYTES = 256 * 1024 * 1024
/** Metadata (with URLs) remembered per appointment; a URL past its expiry is simply renewed. */
const MAX_REMEMBERED_APPOINTMENTS = 200

export interface AttachmentTransfersOptions extends ReadPorts {
  readonly client: Pick<QubsClient, 'listAttachments' | 'downloadAttachment'>
  readonly ttlMs?: number
  readonly maxStoredBytes?: number
}

interface StoredTransfer {
  readonly bytes: Uint8Array
  readonly storedAt: number
}

export class AttachmentTransfers {
  readonly #options: Readonly<AttachmentTransfersOptions>
  readonly #logger: Logger
  /** Insertion order is age order: the first is the oldest. */
  readonly #stored = new Map<string, StoredTransfer>()
  readonly #metadata = new Map<string, ReadonlyMap<string, Attachment>>()
  #storedBytes = 0

  constructor(options: Readonly<AttachmentTransfersOptions>) {
    this.#options = options
    this.#logger = options.logger.child('attachment-transfers')
  }

  async list(domain: string, appointmentId: string): Promise<AttachmentView[]> {
    const attachments = await this.#read(
      () => this.#options.client.listAttachments(domain, appointmentId),
      appointmentId,
    )
    const key = appointmentKey(domain, appointmentId)
    this.#metadata.delete(key)
    this.#metadata.set(key, new Map(attachments.map((a) => [a.guid, a])))
    while (this.#metadata.size > MAX_REMEMBERED_APPOINTMENTS)
      this.#metadata.delete(this.#metadata.keys().next().value!)
    return attachments.map(toAttachmentView)
  }

  async download(domain: string, appointmentId: string, guid: string): Promise<AttachmentDownload> {
    const known = this.#metadata.get(appointmentKey(domain, appointmentId))?.get(guid)
    const downloaded = await this.#read(
      () =>
        this.#options.client.downloadAttachment(
          domain,
          appointmentId,
          guid,
          known ? { attachment: known } : {},
        ),
      appointmentId,
    )
    const bytes = new Uint8Array(
      downloaded.bytes.buffer,
      downloaded.bytes.byteOffset,
      downloaded.bytes.byteLength,
    )
    const downloadId = this.#options.random.uuid()
    this.#store(downloadId, bytes)
    this.#logger.info('attachment downloaded', { domain, appointmentId, count: bytes.byteLength })
    return {
      downloadId,
      byteLength: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      contentType: resolveContentType(downloaded.contentType, bytes),
      chunkCount: Math.ceil(bytes.byteLength / ATTACHMENT_CHUNK_BYTES),
    }
  }

  chunk(downloadId: string, index: number): AttachmentChunk {
    this.#expire()
    const stored = this.#stored.get(downloadId)
    if (!stored) throw new ContractError('not-found', 'that download is no longer kept; download it again')
    const start = index * ATTACHMENT_CHUNK_BYTES
    if (start >= stored.bytes.byteLength) {
      throw new ContractError('not-found', `attachment chunk ${index} does not exist`)
    }
    // A copy, so the transport can never hand out (or detach) the stored buffer itself.
    return { downloadId, index, bytes: stored.bytes.slice(start, start + ATTACHMENT_CHUNK_BYTES) }
  }

  /** Bytes currently held, for tests and diagnostics. */
  get storedBytes(): number {
    return this.#storedBytes
  }

  /** Drops every held download and listed metadata (wipe of local data). */
  clear(): void {
    for (const [id, transfer] of this.#stored) this.#drop(id, transfer)
    this.#metadata.clear()
  }

  /**
   * Drops downloads past their time to live now, not only at the next download: housekeeping calls it
   * so attachment bytes do not sit in memory for hours after the person looked at them.
   */
  expire(): void {
    this.#expire()
  }

  #store(downloadId: string, bytes: Uint8Array): void {
    this.#expire()
    const cap = this.#options.maxStoredBytes ?? MAX_STORED_BYTES
    this.#stored.set(downloadId, { bytes, storedAt: this.#options.clock.now() })
    this.#storedBytes += bytes.byteLength
    // The newest stays even if it alone exceeds the cap: it is what the person asked for.
    for (const [id, transfer] of this.#stored) {
      if (this.#storedBytes <= cap || id === downloadId) break
      this.#drop(id, transfer)
    }
  }

  #expire(): void {
    const ttl = this.#options.ttlMs ?? TRANSFER_TTL_MS
    const now = this.#options.clock.now()
    for (const [id, transfer] of this.#stored) {
      if (now - transfer.storedAt < ttl) break
      this.#drop(id, transfer)
    }
  }

  #drop(id: string, transfer: StoredTransfer): void {
    this.#stored.delete(id)
    this.#storedBytes -= transfer.bytes.byteLength
  }

  #read<T>(operation: () => Promise<T>, appointmentId: string): Promise<T> {
    return readThrough(operation, { appointmentId })
  }
}

function appointmentKey(domain: string, appointmentId: string): string {
  return JSON.stringify([domain, appointmentId])
}
