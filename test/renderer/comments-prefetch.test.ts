import { describe, expect, it } from 'vitest'
import type { CommentView } from '../../src-preload/contract'
import { openCacheSession } from '../../src-renderer/src/db/cache-session'
import { getCachedComments, listCommentCounts } from '../../src-renderer/src/db/comments-cache'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { prefetchComments } from '../../src-renderer/src/features/appointment'
import { installFakeBridge } from './fake-bridge'
import { fixedKey } from './fixtures'

const comment = (guid: string, isAlert: boolean): CommentView => ({
  guid,
  commentType: isAlert ? 'AA' : 'AC',
  appointmentId: null,
  patientId: null,
  commentText: isAlert ? 'Phone urgent findings.' : 'Interpreter required.',
  commentDateTime: null,
  isAlert,
  commentBy: null,
  lastModifiedDateTime: null,
  extra: {},
})

describe('comments prefetch (worklist badges before an appointment is opened)', () => {
  it('caches the comments of the first N urgent appointments, skipping one that fails', async () => {
    const asked: string[] = []
    installFakeBridge({
      listComments: async (_domain, appointmentId) => {
        asked.push(appointmentId)
        if (appointmentId === 'A2') throw new Error('no longer pending')
        return appointmentId === 'A1' ? [comment('c1', true), comment('c2', false)] : []
      },
    })
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
    const keys = ['A1', 'A2', 'A3', 'A4'].map((appointmentId) => ({ domain: 'demo', appointmentId }))

    expect(await prefetchComments(session, keys, { limit: 3 })).toBe(2)

    expect(asked.sort()).toEqual(['A1', 'A2', 'A3'])
    const counts = await listCommentCounts(session)
    expect(counts.get('demo/A1')).toEqual({ comments: 1, alerts: 1 })
    expect(counts.get('demo/A3')).toEqual({ comments: 0, alerts: 0 })
    expect(counts.has('demo/A2')).toBe(false)
    expect((await getCachedComments(session, 'demo', 'A1'))?.map((c) => c.guid)).toEqual(['c1', 'c2'])
    await db.delete()
  })
})

describe('comments prefetch without a bridge', () => {
  it('resolves with nothing cached instead of rejecting (it runs in the background)', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
    await expect(prefetchComments(session, [{ domain: 'demo', appointmentId: 'A1' }])).resolves.toBe(0)
    await db.delete()
  })
})
