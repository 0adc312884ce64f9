import { describe, expect, it } from 'vitest'
import {
  deleteCachedAppointmentsExcept,
  getCachedAppointment,
  putCachedAppointment,
} from '../../src-renderer/src/db/appointment-cache'
import { openCacheSession } from '../../src-renderer/src/db/cache-session'
import {
  deleteCachedCommentsExcept,
  getCachedComments,
  listCommentCounts,
  putCachedComments,
} from '../../src-renderer/src/db/comments-cache'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import {
  loadWorklistSnapshot,
  saveWorklistSnapshot,
  WORKLIST_BATCH_SIZE,
} from '../../src-renderer/src/db/worklist-cache'
import { appointment, fixedKey } from './fixtures'

const CANARY = 'CANARY-ZEBULON'
const freshDb = () => new ReporterDatabase(`test-${crypto.randomUUID()}`)
const open = (db: ReporterDatabase, keyId = 'k1') =>
  openCacheSession(db, { keyId, rawKey: new Uint8Array(fixedKey) })

/** Everything the tables hold, as text, with sealed bytes decoded as if someone read the disk. */
async function dumpClear(db: ReporterDatabase): Promise<string> {
  const decoder = new TextDecoder()
  const parts: string[] = []
  for (const table of db.tables) {
    for (const row of await table.toArray()) {
      parts.push(JSON.stringify(row, (_k, v: unknown) => (v instanceof Uint8Array ? decoder.decode(v) : v)))
    }
  }
  return parts.join('\n')
}

describe('offline cache repositories', () => {
  it('keeps a worklist of several batches across a reopen, with no PHI in clear', async () => {
    const db = freshDb()
    const items = Array.from({ length: WORKLIST_BATCH_SIZE * 2 + 7 }, (_, n) => ({
      view: appointment({
        appointmentId: `A${n}`,
        patientName: `${CANARY} ${n}`,
        clinicalInfo: `${CANARY} info`,
      }),
      pending: n % 3 !== 0,
      refreshId: 'r1',
    }))
    await saveWorklistSnapshot(await open(db), items)
    expect(await db.worklistBatches.count()).toBe(3)
    expect(await dumpClear(db)).not.toContain(CANARY)
    // Only the index fields design §3 allows are in clear: no appointment date or time, no names.
    const clearFields = new Set((await db.worklist.toArray()).flatMap((row) => Object.keys(row)))
    expect([...clearFields].sort()).toEqual(
      [
        'appointmentId',
        'batch',
        'domain',
        'key',
        'modality',
        'pending',
        'priority',
        'refreshId',
        'reportNeededBy',
        'scheduledSite',
      ].sort(),
    )
    db.close()

    const reopened = new ReporterDatabase(db.name)
    const loaded = await loadWorklistSnapshot(await open(reopened))
    expect(loaded).toHaveLength(items.length)
    const byId = new Map(loaded.map((i) => [i.view.appointmentId, i]))
    expect(byId.get('A3')).toEqual(items[3])
    expect(byId.get('A4')?.pending).toBe(true)
    await reopened.delete()
  })

  it('drops only the rows of a batch that cannot be opened', async () => {
    const db = freshDb()
    const session = await open(db)
    const items = Array.from({ length: WORKLIST_BATCH_SIZE + 1 }, (_, n) => ({
      view: appointment({ appointmentId: `A${n}` }),
      pending: true,
      refreshId: 'r1',
    }))
    await saveWorklistSnapshot(session, items)
    const first = (await db.worklistBatches.get(0))!
    // One flipped bit on disk: AES-GCM refuses the whole batch.
    const data = new Uint8Array(first.sealed.data)
    data[0]! ^= 1
    await db.worklistBatches.put({ ...first, sealed: { iv: first.sealed.iv, data } })
    const loaded = await loadWorklistSnapshot(session)
    expect(loaded.map((i) => i.view.appointmentId)).toEqual([`A${WORKLIST_BATCH_SIZE}`])
    await db.delete()
  })

  it('seals appointments and comments, counts alerts in clear, and clears everything when the key changes', async () => {
    const db = freshDb()
    const session = await open(db)
    await putCachedAppointment(session, appointment({ clinicalInfo: `${CANARY} clinical` }), 1)
    const comment = {
      guid: 'g1',
      commentType: 'AA' as const,
      appointmentId: 'A1',
      patientId: 'P1',
      commentText: `${CANARY} comment`,
      commentDateTime: null,
      isAlert: true,
      commentBy: null,
      lastModifiedDateTime: null,
      extra: {},
    }
    await putCachedComments(session, 'demo', 'A1', [comment, { ...comment, guid: 'g2', isAlert: false }], 1)
    expect(await dumpClear(db)).not.toContain(CANARY)
    expect((await getCachedAppointment(session, 'demo', 'A1'))?.clinicalInfo).toBe(`${CANARY} clinical`)
    expect(await getCachedComments(session, 'demo', 'A1')).toHaveLength(2)
    expect(await listCommentCounts(session)).toEqual(new Map([['demo/A1', { comments: 1, alerts: 1 }]]))

    // Same key again: nothing cleared.
    await open(db, 'k1')
    expect(await db.appointments.count()).toBe(1)
    // A new key id (local data was wiped): the old rows can never open, so they go.
    const replaced = await open(db, 'k2')
    expect(await db.appointments.count()).toBe(0)
    expect(await db.comments.count()).toBe(0)
    expect(await getCachedAppointment(replaced, 'demo', 'A1')).toBeNull()
    await db.delete()
  })

  it('deletes the appointment views and comments of appointments not kept, and only those', async () => {
    const session = await open(freshDb())
    for (const id of ['A1', 'A2', 'A3']) {
      await putCachedAppointment(session, appointment({ appointmentId: id }), 1)
      await putCachedComments(session, 'demo', id, [], 1)
    }
    const keep = new Set(['demo/A2'])
    expect(await deleteCachedAppointmentsExcept(session, keep)).toBe(2)
    expect(await deleteCachedCommentsExcept(session, keep)).toBe(2)
    expect(await session.db.appointments.toCollection().primaryKeys()).toEqual(['demo/A2'])
    expect(await session.db.comments.toCollection().primaryKeys()).toEqual(['demo/A2'])
    expect(await getCachedAppointment(session, 'demo', 'A2')).toMatchObject({ appointmentId: 'A2' })
  })

  it('reads a record moved to another appointment as not cached', async () => {
    const db = freshDb()
    const session = await open(db)
    await putCachedAppointment(session, appointment({ appointmentId: 'A1' }), 1)
    const row = (await db.appointments.get('demo/A1'))!
    await db.appointments.put({ ...row, key: 'demo/A2', appointmentId: 'A2' })
    expect(await getCachedAppointment(session, 'demo', 'A2')).toBeNull()
    await db.delete()
  })
})
