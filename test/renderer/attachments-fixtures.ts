import { vi } from 'vitest'
import type { ApiMethods, AttachmentView, ConnectivityState } from '../../src-preload/contract'
import { QubsIpcError } from '../../src-preload/contract'
import { sha256Hex } from '../../src-renderer/src/bridge/transfers'
import { AttachmentCache } from '../../src-renderer/src/db/attachment-cache'
import { createRecordCipher } from '../../src-renderer/src/db/cipher'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import {
  createAttachmentServices,
  provideAttachmentServices,
} from '../../src-renderer/src/features/attachments'
import { useAttachmentsStore } from '../../src-renderer/src/features/attachments/attachments-store'
import type { PdfDocumentHandle, PdfEngine } from '../../src-renderer/src/features/attachments/pdf-engine'
import { installFakeBridge } from './fake-bridge'

/** A fake QUBS behind the fake bridge: attachment lists and files per appointment, and a switch for the network. */
export interface FakeFile {
  readonly view: AttachmentView
  /** null: listed, but QUBS has no file behind it yet (main answers `no-content`). */
  readonly bytes: Uint8Array | null
}

export const PDF_BYTES = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
export const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])

export function attachment(
  guid: string,
  fileName: string,
  lastModified = '2026-01-01T00:00:00Z',
): AttachmentView {
  return {
    guid,
    category: 'Referral',
    fileName,
    addedDateTime: '2026-01-01T02:03:00Z',
    addedBy: {
      username: 'jchen',
      firstName: 'Jesse',
      lastName: 'Chen',
      initials: 'JC',
      role: null,
      extra: {},
    },
    lastModifiedDateTime: lastModified,
    lastModifiedBy: null,
    extra: {},
  }
}

export async function installFakeQubs(
  files: Record<string, FakeFile[]>,
  options: Readonly<{ pdf?: PdfEngine }> = {},
) {
  let state: ConnectivityState = 'online'
  const downloads = new Map<string, Uint8Array<ArrayBuffer>>()
  const unreachable = () => new QubsIpcError({ code: 'network', message: 'QUBS could not be reached.' })
  const methods: Partial<ApiMethods> = {
    getConnectivity: vi.fn(async () => ({ state, lastSuccessAt: null, lastAttemptAt: null })),
    listAttachments: vi.fn(async (domain: string, appointmentId: string) => {
      if (state !== 'online') throw unreachable()
      return (files[`${domain}/${appointmentId}`] ?? []).map((f) => f.view)
    }),
    downloadAttachment: vi.fn(async (domain: string, appointmentId: string, guid: string) => {
      if (state !== 'online') throw unreachable()
      const file = files[`${domain}/${appointmentId}`]?.find((f) => f.view.guid === guid)
      if (!file) throw new QubsIpcError({ code: 'not-found', message: 'not found' })
      if (!file.bytes) {
        throw new QubsIpcError({ code: 'no-content', message: 'QUBS has no content for this file yet' })
      }
      const downloadId = crypto.randomUUID()
      downloads.set(downloadId, new Uint8Array(file.bytes))
      return {
        downloadId,
        byteLength: file.bytes.byteLength,
        sha256: await sha256Hex(file.bytes),
        contentType: 'application/octet-stream',
        chunkCount: 1,
      }
    }),
    getAttachmentChunk: vi.fn(async (downloadId: string, index: number) => ({
      downloadId,
      index,
      bytes: downloads.get(downloadId)!,
    })),
  }
  const bridge = installFakeBridge(methods)
  const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
  const cipher = await createRecordCipher('k1', crypto.getRandomValues(new Uint8Array(32)))
  const cache = new AttachmentCache({ db, cipher })
  const pdf = fakePdfEngine()
  // Byte-sized caps for the tests; the app reads settings.attachments (in MB).
  const limits = { prefetchCount: 20, capBytes: 500 * 1024 * 1024 }
  const services = createAttachmentServices({
    db,
    cache,
    pdf: options.pdf ?? pdf.engine,
    limits: () => limits,
  })
  provideAttachmentServices(services)
  return {
    methods,
    services,
    limits,
    db,
    cache,
    pdf,
    setConnectivity(next: ConnectivityState) {
      state = next
      bridge.emit('connectivityChanged', { state: next, lastSuccessAt: null, lastAttemptAt: null })
    },
    async close() {
      provideAttachmentServices(null)
      useAttachmentsStore.setState({ lists: {} })
      await db.delete()
    },
  }
}

/** Stands in for pdf.js (jsdom has no canvas): records what was drawn, page and scale. */
export function fakePdfEngine(pageCount = 3) {
  const renders: { page: number; scale: number }[] = []
  const opened: Uint8Array[] = []
  let prepared = 0
  const engine: PdfEngine = {
    prepare: () => void prepared++,
    open: async (bytes) => {
      opened.push(bytes)
      const handle: PdfDocumentHandle = {
        pageCount,
        pageSize: async () => ({ width: 600, height: 800 }),
        render: async (page, _canvas, scale) => {
          renders.push({ page, scale })
        },
        destroy: async () => undefined,
      }
      return handle
    },
  }
  return {
    engine,
    renders,
    opened,
    get prepared() {
      return prepared
    },
  }
}
