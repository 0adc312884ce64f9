import { describe, expect, it } from 'vitest'
import { ManualClock, seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import type { DownloadedAttachment } from '../../../src-main/core/api'
import { AttachmentTransfers } from '../../../src-main/core/app/attachment-transfers'
import { ATTACHMENT_CHUNK_BYTES, ContractError } from '../../../src-preload/contract'

/** Downloaded bytes are PHI held in memory only: bounded in size and in time. */
function transfers(options: { ttlMs: number; maxStoredBytes: number }) {
  const clock = new ManualClock(0)
  const sizes: number[] = []
  const store = new AttachmentTransfers({
    clock,
    random: seededRandom(1),
    logger: silentLogger,
    onRead: () => undefined,
    ...options,
    client: {
      listAttachments: async () => [],
      downloadAttachment: async (): Promise<DownloadedAttachment> => {
        const size = sizes.shift() ?? 10
        return { bytes: Buffer.alloc(size, 1), contentType: 'application/octet-stream', fileName: 'f', size }
      },
    },
  })
  return { store, clock, sizes }
}

describe('attachment transfer store', () => {
  it('drops the oldest downloads beyond the size cap, keeping the newest', async () => {
    const { store, sizes } = transfers({ ttlMs: 60_000, maxStoredBytes: 100 })
    sizes.push(60, 60, 150)
    const a = await store.download('acme', 'A1', 'g1')
    const b = await store.download('acme', 'A1', 'g2')
    expect(() => store.chunk(a.downloadId, 0)).toThrow(ContractError)
    expect(store.chunk(b.downloadId, 0).bytes.byteLength).toBe(60)
    const c = await store.download('acme', 'A1', 'g3')
    expect(store.chunk(c.downloadId, 0).bytes.byteLength).toBe(150)
    expect(store.storedBytes).toBe(150)
  })

  it('forgets downloads after their time to live', async () => {
    const { store, clock } = transfers({ ttlMs: 1_000, maxStoredBytes: 1_000 })
    const a = await store.download('acme', 'A1', 'g1')
    clock.advance(999)
    expect(store.chunk(a.downloadId, 0).bytes.byteLength).toBe(10)
    clock.advance(1)
    expect(() => store.chunk(a.downloadId, 0)).toThrow(/no longer kept/)
    expect(store.storedBytes).toBe(0)
  })

  it('cuts large files into chunks of ATTACHMENT_CHUNK_BYTES', async () => {
    const { store, sizes } = transfers({ ttlMs: 60_000, maxStoredBytes: 10 * ATTACHMENT_CHUNK_BYTES })
    sizes.push(2 * ATTACHMENT_CHUNK_BYTES + 5)
    const download = await store.download('acme', 'A1', 'g1')
    expect(download.chunkCount).toBe(3)
    expect(store.chunk(download.downloadId, 2).bytes.byteLength).toBe(5)
    expect(() => store.chunk(download.downloadId, 3)).toThrow(ContractError)
  })
})
