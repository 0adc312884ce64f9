import { describe, expect, it } from 'vitest'
import type { OutboxEntryView } from '../../src-preload/contract'
import { createRecordCipher } from '../../src-renderer/src/db/cipher'
import { openCacheSession } from '../../src-renderer/src/db/cache-session'
import { appointmentRowKey, ReporterDatabase } from '../../src-renderer/src/db/database'
import { DAY_MS, purgeExpiredCache } from '../../src-renderer/src/db/retention'

const NOW = Date.UTC(2026, 5, 1)
const OLD = NOW - 20 * DAY_MS
const RECENT = NOW - 2 * DAY_MS

function entry(
  appointmentId: string,
  kind: OutboxEntryView['kind'],
  state: OutboxEntryView['state'],
): OutboxEntryView {
  return {
    id: `e-${appointmentId}-${kind}`,
    kind,
    domain: 'demo',
    appointmentId,
    state,
    reportStatus: kind === 'report' ? 'final' : null,
    attempts: 1,
    heldReason: null,
    heldDetail: null,
    lastError: null,
    blockedByHeld: false,
    nextAttemptAt: null,
    createdAt: OLD,
    updatedAt: OLD,
    deliveredAt: state === 'delivered' ? OLD : null,
    exportedAt: null,
    discardedAt: null,
  }
}

async function seeded() {
  const db = new ReporterDatabase(`retention-${crypto.randomUUID()}`)
  const session = await openCacheSession(db, {
    keyId: 'k1',
    rawKey: crypto.getRandomValues(new Uint8Array(32)),
  })
  const cipher = await createRecordCipher('k1', crypto.getRandomValues(new Uint8Array(32)))
  const sealed = await cipher.sealJson('x/y', { text: 'Testpatient Alpha' })
  const row = (id: string) => ({ key: appointmentRowKey('demo', id), domain: 'demo', appointmentId: id })
  await db.appointments.bulkPut([
    { ...row('OLD'), fetchedAt: OLD, sealed },
    { ...row('NEW'), fetchedAt: RECENT, sealed },
  ])
  await db.comments.bulkPut([
    { ...row('OLD'), fetchedAt: OLD, commentCount: 1, alertCount: 0, sealed },
    { ...row('NEW'), fetchedAt: RECENT, commentCount: 1, alertCount: 0, sealed },
  ])
  await db.attachmentLists.put({ ...row('OLD'), fetchedAt: OLD, sealed })
  const file = (guid: string, cachedAt: number) => ({
    key: `demo/OLD/${guid}`,
    domain: 'demo',
    appointmentId: 'OLD',
    guid,
    byteLength: 3,
    contentType: 'application/pdf',
    sha256: 'x',
    lastModifiedDateTime: null,
    cachedAt,
    lastUsedAt: cachedAt,
  })
  await db.attachmentFiles.bulkPut([file('g-old', OLD), file('g-new', RECENT)])
  await db.attachmentBytes.bulkPut([
    { key: 'demo/OLD/g-old', sealed },
    { key: 'demo/OLD/g-new', sealed },
  ])
  const worklist = (id: string, pending: 0 | 1) => ({
    ...row(id),
    priority: null,
    reportNeededBy: null,
    modality: null,
    scheduledSite: null,
    pending,
    refreshId: 'r1',
    batch: 0,
  })
  // GONE: left the worklist, nothing keeps it. DRAFT: left, but a draft holds it. WAIT: a comment waits.
  // DONE: left, its report delivered, an old draft. LIVE: still pending, an old draft of a delivered report.
  await db.worklist.bulkPut([
    worklist('GONE', 0),
    worklist('DRAFT', 0),
    worklist('WAIT', 0),
    worklist('DONE', 0),
    worklist('LIVE', 1),
  ])
  await db.drafts.bulkPut([
    { ...row('DRAFT'), updatedAt: OLD, sealed },
    { ...row('DONE'), updatedAt: OLD, sealed },
    { ...row('LIVE'), updatedAt: OLD, sealed },
  ])
  const outbox = [
    entry('WAIT', 'comment', 'queued'),
    entry('DONE', 'report', 'delivered'),
    entry('LIVE', 'report', 'delivered'),
  ]
  return { db, session, outbox }
}

describe('renderer cache retention (injected clock)', () => {
  it('purges what is older than retentionDays and no longer needed, keeps the person’s unsent work', async () => {
    const { db, session, outbox } = await seeded()
    const purged = await purgeExpiredCache(session, { now: NOW, retentionDays: 14, outbox })
    expect(purged).toEqual({
      appointments: 1,
      comments: 1,
      attachmentLists: 1,
      attachmentFiles: 1,
      worklistRows: 2,
      drafts: 1,
    })
    expect(await db.appointments.toCollection().primaryKeys()).toEqual(['demo/NEW'])
    expect(await db.comments.toCollection().primaryKeys()).toEqual(['demo/NEW'])
    expect(await db.attachmentLists.count()).toBe(0)
    expect(await db.attachmentFiles.toCollection().primaryKeys()).toEqual(['demo/OLD/g-new'])
    expect(await db.attachmentBytes.toCollection().primaryKeys()).toEqual(['demo/OLD/g-new'])
    expect((await db.worklist.toCollection().primaryKeys()).sort()).toEqual([
      'demo/DRAFT',
      'demo/LIVE',
      'demo/WAIT',
    ])
    expect((await db.drafts.toCollection().primaryKeys()).sort()).toEqual(['demo/DRAFT', 'demo/LIVE'])
    await db.delete()
  })

  it('keeps everything younger than the retention', async () => {
    const { db, session, outbox } = await seeded()
    const purged = await purgeExpiredCache(session, { now: NOW, retentionDays: 30, outbox })
    expect(purged).toMatchObject({ appointments: 0, comments: 0, attachmentFiles: 0, drafts: 0 })
    await db.delete()
  })
})
