import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AttachmentView } from '../../src-preload/contract'
import { AttachmentCache, type AttachmentToCache } from '../../src-renderer/src/db/attachment-cache'
import { createRecordCipher } from '../../src-renderer/src/db/cipher'
import { ReporterDatabase } from '../../src-renderer/src/db/database'

const CANARY = 'CANARY-ATTACHMENT-7f3a'
const encoder = new TextEncoder()

function file(
  guid: string,
  size: number,
  appointmentId = 'A1',
  lastModified = '2026-01-01T00:00:00Z',
): AttachmentToCache {
  const bytes = new Uint8Array(size)
  bytes.set(encoder.encode(CANARY).subarray(0, size))
  return {
    domain: 'demo',
    appointmentId,
    guid,
    bytes,
    contentType: 'application/pdf',
    sha256: '0'.repeat(64),
    lastModifiedDateTime: lastModified,
  }
}

function listItem(guid: string, fileName: string): AttachmentView {
  return {
    guid,
    category: 'Referral',
    fileName,
    addedDateTime: '2026-01-01T00:00:00Z',
    addedBy: null,
    lastModifiedDateTime: '2026-01-01T00:00:00Z',
    lastModifiedBy: null,
    extra: {},
  }
}

const keys = (evicted: readonly { key: string }[]) => evicted.map((e) => e.key)

const containsCanary = (value: unknown): boolean => {
  const needle = encoder.encode(CANARY)
  const scan = (v: unknown): boolean => {
    if (v instanceof Uint8Array) {
      outer: for (let i = 0; i + needle.length <= v.length; i++) {
        for (let j = 0; j < needle.length; j++) if (v[i + j] !== needle[j]) continue outer
        return true
      }
      return false
    }
    if (typeof v === 'string') return v.includes(CANARY)
    if (v && typeof v === 'object') return Object.values(v).some(scan)
    return false
  }
  return scan(value)
}

describe('attachment cache', () => {
  let db: ReporterDatabase
  let cache: AttachmentCache
  let clock: number

  beforeEach(async () => {
    db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    clock = 1_000
    const cipher = await createRecordCipher('k1', crypto.getRandomValues(new Uint8Array(32)))
    cache = new AttachmentCache({ db, cipher, now: () => clock++ })
  })
  afterEach(async () => {
    await db.delete()
  })

  it('seals bytes and lists: no row in IndexedDB holds the plaintext, and both read back', async () => {
    await cache.write(file('g1', 64), { capBytes: 1_000 })
    await cache.writeList('demo', 'A1', [listItem('g1', `${CANARY}.pdf`)])
    const rows = [
      ...(await db.attachmentBytes.toArray()),
      ...(await db.attachmentFiles.toArray()),
      ...(await db.attachmentLists.toArray()),
    ]
    expect(rows).toHaveLength(3)
    expect(rows.some(containsCanary)).toBe(false)
    const read = await cache.read('demo', 'A1', 'g1')
    expect(new TextDecoder().decode(read!.bytes.subarray(0, CANARY.length))).toBe(CANARY)
    expect((await cache.readList('demo', 'A1'))!.items[0]!.fileName).toBe(`${CANARY}.pdf`)
  })

  it('refuses bytes moved under another appointment (another patient) and drops the row', async () => {
    await cache.write(file('g1', 32, 'A1'), { capBytes: 1_000 })
    await cache.write(file('g1', 32, 'A2'), { capBytes: 1_000 })
    const a1 = await db.attachmentBytes.get('demo/A1/g1')
    await db.attachmentBytes.put({ key: 'demo/A2/g1', sealed: a1!.sealed })
    expect(await cache.read('demo', 'A2', 'g1')).toBeNull()
    expect(await db.attachmentFiles.get('demo/A2/g1')).toBeUndefined()
    expect(await cache.read('demo', 'A1', 'g1')).not.toBeNull()
  })

  it('drops what was sealed under another key instead of failing', async () => {
    await cache.write(file('g1', 32), { capBytes: 1_000 })
    await cache.writeList('demo', 'A1', [listItem('g1', 'x.pdf')])
    const other = await createRecordCipher('k2', crypto.getRandomValues(new Uint8Array(32)))
    const rekeyed = new AttachmentCache({ db, cipher: other })
    expect(await rekeyed.read('demo', 'A1', 'g1')).toBeNull()
    expect(await rekeyed.readList('demo', 'A1')).toBeNull()
    expect(await db.attachmentBytes.count()).toBe(0)
  })

  it('evicts the least recently used files to stay under the cap', async () => {
    await cache.write(file('g1', 400), { capBytes: 1_000 })
    await cache.write(file('g2', 400), { capBytes: 1_000 })
    const result = await cache.write(file('g3', 400), { capBytes: 1_000 })
    expect(result.stored).toBe(true)
    expect(keys(result.evicted)).toEqual(['demo/A1/g1'])
    expect(await cache.totalBytes()).toBe(800)
    expect(await db.attachmentBytes.get('demo/A1/g1')).toBeUndefined()
  })

  it('opening a file touches it, so the other one is evicted first', async () => {
    await cache.write(file('g1', 400), { capBytes: 1_000 })
    await cache.write(file('g2', 400), { capBytes: 1_000 })
    await cache.read('demo', 'A1', 'g1')
    const result = await cache.write(file('g3', 400), { capBytes: 1_000 })
    expect(keys(result.evicted)).toEqual(['demo/A1/g2'])
    expect(await cache.read('demo', 'A1', 'g1')).not.toBeNull()
  })

  it('never evicts the file on screen, even when it is the oldest', async () => {
    await cache.write(file('g1', 400), { capBytes: 1_000 })
    await cache.write(file('g2', 400), { capBytes: 1_000 })
    const unpin = cache.pin('demo', 'A1', 'g1')
    expect(keys((await cache.write(file('g3', 400), { capBytes: 1_000 })).evicted)).toEqual(['demo/A1/g2'])
    unpin()
    expect(await cache.evictToCap(400)).toEqual([{ key: 'demo/A1/g1', domain: 'demo', appointmentId: 'A1' }])
  })

  it('gives up on a file that only fits by evicting kept files, and keeps a pinned one anyway', async () => {
    await cache.write(file('g1', 600), { capBytes: 1_000 })
    const refused = await cache.write(file('g2', 600), { capBytes: 1_000, keep: new Set(['demo/A1/g1']) })
    expect(refused).toEqual({ stored: false, evicted: [] })
    expect(await cache.cachedVersions('demo', 'A1')).toEqual(new Map([['g1', '2026-01-01T00:00:00Z']]))
    const unpin = cache.pin('demo', 'A1', 'big')
    expect((await cache.write(file('big', 2_000), { capBytes: 1_000 })).stored).toBe(true)
    unpin()
  })

  it('reports the cached version of each file without reading the bytes', async () => {
    await cache.write(file('g1', 10, 'A1', '2026-01-02T00:00:00Z'), { capBytes: 1_000 })
    await cache.write(file('g2', 10, 'A2'), { capBytes: 1_000 })
    expect(await cache.cachedVersions('demo', 'A1')).toEqual(new Map([['g1', '2026-01-02T00:00:00Z']]))
  })

  it('purges the lists and files of appointments no longer kept, but not a file on screen', async () => {
    await cache.write(file('g1', 10, 'A1'), { capBytes: 1_000 })
    await cache.write(file('g2', 10, 'A2'), { capBytes: 1_000 })
    await cache.write(file('g3', 10, 'A3'), { capBytes: 1_000 })
    await cache.writeList('demo', 'A2', [listItem('g2', 'x.pdf')])
    const unpin = cache.pin('demo', 'A3', 'g3')
    expect(await cache.purgeExcept(new Set(['demo/A1']))).toBe(1)
    expect(await cache.readList('demo', 'A2')).toBeNull()
    expect(await cache.read('demo', 'A2', 'g2')).toBeNull()
    expect(await cache.read('demo', 'A1', 'g1')).not.toBeNull()
    expect(await cache.read('demo', 'A3', 'g3')).not.toBeNull()
    unpin()
    expect(await db.attachmentBytes.count()).toBe(2)
  })
})
