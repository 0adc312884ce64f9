import { afterEach, describe, expect, it, vi } from 'vitest'
import { getBridge } from '../../src-renderer/src/bridge'
import { prefetchAttachments } from '../../src-renderer/src/features/attachments'
import { attachment, installFakeQubs, PDF_BYTES } from './attachments-fixtures'

const sized = (size: number) => {
  const bytes = new Uint8Array(size)
  bytes.set(PDF_BYTES.subarray(0, size))
  return bytes
}

describe('attachment prefetch', () => {
  let fake: Awaited<ReturnType<typeof installFakeQubs>> | undefined
  afterEach(async () => {
    await fake?.close()
    fake = undefined
  })

  it('caches the files of the first N appointments and their lists, in order of urgency', async () => {
    fake = await installFakeQubs({
      'demo/A1': [{ view: attachment('g1', 'referral.pdf'), bytes: PDF_BYTES }],
      'demo/A2': [{ view: attachment('g2', 'worksheet.pdf'), bytes: PDF_BYTES }],
      'demo/A3': [{ view: attachment('g3', 'later.pdf'), bytes: PDF_BYTES }],
    })
    Object.assign(fake.limits, { prefetchCount: 2, capBytes: 10_000 })
    const keys = ['A1', 'A2', 'A3'].map((appointmentId) => ({ domain: 'demo', appointmentId }))
    const summary = await prefetchAttachments(keys)
    expect(summary).toEqual({ outcome: 'done', downloaded: 2, alreadyCached: 0, failed: 0 })
    expect(await fake.db.attachmentFiles.count()).toBe(2)
    expect(await fake.cache.read('demo', 'A3', 'g3')).toBeNull()
    expect((await fake.cache.readList('demo', 'A2'))!.items.map((i) => i.fileName)).toEqual(['worksheet.pdf'])
  })

  it('skips files cached and unchanged, and fetches one whose lastModifiedDateTime changed', async () => {
    const files = { 'demo/A1': [{ view: attachment('g1', 'referral.pdf'), bytes: PDF_BYTES }] }
    fake = await installFakeQubs(files)
    const keys = [{ domain: 'demo', appointmentId: 'A1' }]
    await prefetchAttachments(keys)
    expect(await prefetchAttachments(keys)).toMatchObject({ downloaded: 0, alreadyCached: 1 })
    expect(fake.methods.downloadAttachment).toHaveBeenCalledTimes(1)
    files['demo/A1'] = [{ view: attachment('g1', 'referral.pdf', '2026-02-01T00:00:00Z'), bytes: PDF_BYTES }]
    expect(await prefetchAttachments(keys)).toMatchObject({ downloaded: 1, alreadyCached: 0 })
    expect(await fake.cache.cachedVersions('demo', 'A1')).toEqual(new Map([['g1', '2026-02-01T00:00:00Z']]))
  })

  it('skips a file QUBS has no content for yet and goes on with the others', async () => {
    fake = await installFakeQubs({
      'demo/A1': [{ view: attachment('g1', 'pending-scan.pdf'), bytes: null }],
      'demo/A2': [{ view: attachment('g2', 'worksheet.pdf'), bytes: PDF_BYTES }],
    })
    const keys = ['A1', 'A2'].map((appointmentId) => ({ domain: 'demo', appointmentId }))
    expect(await prefetchAttachments(keys)).toEqual({
      outcome: 'done',
      downloaded: 1,
      alreadyCached: 0,
      failed: 1,
    })
    expect(await fake.cache.read('demo', 'A2', 'g2')).not.toBeNull()
  })

  it('does nothing while offline, then runs when the connection comes back', async () => {
    fake = await installFakeQubs({
      'demo/A1': [{ view: attachment('g1', 'referral.pdf'), bytes: PDF_BYTES }],
    })
    fake.setConnectivity('offline')
    const summary = await prefetchAttachments([{ domain: 'demo', appointmentId: 'A1' }])
    expect(summary.outcome).toBe('waiting-for-connection')
    expect(fake.methods.listAttachments).not.toHaveBeenCalled()
    fake.setConnectivity('online')
    await vi.waitFor(async () => expect(await fake!.db.attachmentFiles.count()).toBe(1))
  })

  it('stops when the cache is full of more urgent files instead of evicting them', async () => {
    fake = await installFakeQubs({
      'demo/A1': [{ view: attachment('g1', 'first.pdf'), bytes: sized(600) }],
      'demo/A2': [{ view: attachment('g2', 'second.pdf'), bytes: sized(600) }],
      'demo/A3': [{ view: attachment('g3', 'third.pdf'), bytes: sized(100) }],
    })
    Object.assign(fake.limits, { prefetchCount: 20, capBytes: 1_000 })
    fake.services.prefetcher.dispose()
    const keys = ['A1', 'A2', 'A3'].map((appointmentId) => ({ domain: 'demo', appointmentId }))
    // One appointment at a time so the order of urgency is the order of downloads.
    const { AttachmentPrefetcher } = await import('../../src-renderer/src/features/attachments/prefetch')
    const sequential = new AttachmentPrefetcher({
      source: fake.services.source,
      listAttachments: (domain, appointmentId) => getBridge().listAttachments(domain, appointmentId),
      connectivity: { current: async () => 'online', subscribe: () => () => undefined },
      concurrency: 1,
    })
    expect((await sequential.prefetch(keys)).outcome).toBe('cache-full')
    expect(await fake.cache.cachedVersions('demo', 'A1')).toHaveProperty('size', 1)
    expect(await fake.cache.cachedVersions('demo', 'A2')).toHaveProperty('size', 0)
    expect(fake.methods.listAttachments).not.toHaveBeenCalledWith('demo', 'A3')
  })

  it('a newer call supersedes a running one', async () => {
    fake = await installFakeQubs({
      'demo/A1': [{ view: attachment('g1', 'a.pdf'), bytes: PDF_BYTES }],
      'demo/B1': [{ view: attachment('h1', 'b.pdf'), bytes: PDF_BYTES }],
    })
    const first = prefetchAttachments([{ domain: 'demo', appointmentId: 'A1' }])
    const second = prefetchAttachments([{ domain: 'demo', appointmentId: 'B1' }])
    expect((await first).outcome).toBe('superseded')
    expect((await second).outcome).toBe('done')
    expect(await fake.cache.read('demo', 'B1', 'h1')).not.toBeNull()
  })

  it('stops on a lost connection and resumes when it is back', async () => {
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', 'a.pdf'), bytes: PDF_BYTES }] })
    vi.mocked(fake.methods.listAttachments!).mockRejectedValueOnce(
      new (await import('../../src-preload/contract')).QubsIpcError({ code: 'network', message: 'down' }),
    )
    expect((await prefetchAttachments([{ domain: 'demo', appointmentId: 'A1' }])).outcome).toBe(
      'waiting-for-connection',
    )
    fake.setConnectivity('online')
    await vi.waitFor(async () => expect(await fake!.db.attachmentFiles.count()).toBe(1))
  })

  it('opens a changed file fresh when QUBS answers, and the older cached copy when it cannot', async () => {
    const newer = new TextEncoder().encode('%PDF-1.7 newer')
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', 'a.pdf'), bytes: PDF_BYTES }] })
    const { source } = fake.services
    await source.ensureCached('demo', 'A1', attachment('g1', 'a.pdf'))
    const changed = attachment('g1', 'a.pdf', '2026-03-01T00:00:00Z')
    vi.mocked(fake.methods.downloadAttachment!).mockRejectedValueOnce(
      new (await import('../../src-preload/contract')).QubsIpcError({ code: 'network', message: 'down' }),
    )
    expect(Array.from((await source.open('demo', 'A1', changed)).bytes)).toEqual(Array.from(PDF_BYTES))
    vi.mocked(fake.methods.getAttachmentChunk!).mockImplementationOnce(async (downloadId, index) => ({
      downloadId,
      index,
      bytes: newer,
    }))
    vi.mocked(fake.methods.downloadAttachment!).mockImplementationOnce(async () => ({
      downloadId: 'd2',
      byteLength: newer.byteLength,
      sha256: await (await import('../../src-renderer/src/bridge/transfers')).sha256Hex(newer),
      contentType: 'application/pdf',
      chunkCount: 1,
    }))
    expect(Array.from((await source.open('demo', 'A1', changed)).bytes)).toEqual(Array.from(newer))
    expect(await fake.cache.cachedVersions('demo', 'A1')).toEqual(new Map([['g1', '2026-03-01T00:00:00Z']]))
  })
})
