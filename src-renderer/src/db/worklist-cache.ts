import { z } from 'zod'
import { AppointmentViewSchema, type AppointmentView } from '../../../src-preload/contract'
import type { CacheSession } from './cache-session'
import { appointmentRowKey, type WorklistBatchRow, type WorklistRow } from './database'
import { openJson, sealJson } from './sealed-json'

/**
 * The worklist snapshot on disk. Index fields (domain, id, priority, deadline, modality, site, date)
 * are in clear per row; the AppointmentViews are sealed in batches (see WorklistBatchRow) because one
 * decryption per row would make an offline cold start of 50 000 rows far slower than one per batch.
 */
export const WORKLIST_BATCH_SIZE = 500

export interface CachedWorklistItem {
  readonly view: AppointmentView
  /** False once QUBS no longer lists it (kept while it holds a draft or an undelivered submission). */
  readonly pending: boolean
  readonly refreshId: string
}

const BatchSchema = z.object({ keys: z.array(z.string()), views: z.array(AppointmentViewSchema) })

const batchAad = (snapshotId: string, index: number) => `${snapshotId}/${index}`

/** Replaces the whole snapshot in one transaction, so a crash leaves either the old or the new one. */
export async function saveWorklistSnapshot(
  session: CacheSession,
  items: readonly CachedWorklistItem[],
): Promise<void> {
  const { db } = session
  const snapshotId = crypto.randomUUID()
  const rows: WorklistRow[] = []
  const batches: WorklistBatchRow[] = []
  for (let start = 0, batch = 0; start < items.length; start += WORKLIST_BATCH_SIZE, batch++) {
    const slice = items.slice(start, start + WORKLIST_BATCH_SIZE)
    const keys = slice.map((i) => appointmentRowKey(i.view.domain, i.view.appointmentId))
    const views = slice.map((i) => i.view)
    batches.push({
      key: batch,
      snapshotId,
      sealed: await sealJson(session, 'worklistBatches', batchAad(snapshotId, batch), { keys, views }),
    })
    slice.forEach((item, n) => rows.push(indexRow(keys[n]!, item, batch)))
  }
  await db.transaction('rw', db.worklist, db.worklistBatches, async () => {
    await db.worklist.clear()
    await db.worklistBatches.clear()
    await db.worklistBatches.bulkPut(batches)
    await db.worklist.bulkPut(rows)
  })
}

/**
 * The row's clear fields: only the non-PHI index fields design §3 allows (domain, appointment id,
 * deadline, modality, site, priority) and bookkeeping. Appointment dates and times are dates of a
 * person's care, PHI like the rest: they stay in the sealed batch.
 */
function indexRow(key: string, item: CachedWorklistItem, batch: number): WorklistRow {
  const v = item.view
  return {
    key,
    domain: v.domain,
    appointmentId: v.appointmentId,
    priority: v.priority,
    reportNeededBy: v.reportNeededBy,
    modality: v.modality,
    scheduledSite: v.scheduledSite,
    pending: item.pending ? 1 : 0,
    refreshId: item.refreshId,
    batch,
  }
}

/**
 * Reads the snapshot back. A batch that cannot be opened (damaged, another key, another snapshot)
 * drops only its rows; they come back with the next refresh.
 */
export async function loadWorklistSnapshot(session: CacheSession): Promise<CachedWorklistItem[]> {
  const { db } = session
  const [rows, batches] = await db.transaction('r', db.worklist, db.worklistBatches, () =>
    Promise.all([db.worklist.toArray(), db.worklistBatches.toArray()]),
  )
  const opened = await Promise.all(
    batches.map((b) =>
      openJson(session, 'worklistBatches', batchAad(b.snapshotId, b.key), b.sealed, BatchSchema),
    ),
  )
  const views = new Map<string, AppointmentView>()
  for (const batch of opened) {
    batch?.keys.forEach((key, n) => {
      const view = batch.views[n]
      if (view && appointmentRowKey(view.domain, view.appointmentId) === key) views.set(key, view)
    })
  }
  return rows.flatMap((row) => {
    const view = views.get(row.key)
    return view ? [{ view, pending: row.pending === 1, refreshId: row.refreshId }] : []
  })
}
