import { z } from 'zod'
import { AppointmentViewSchema, type AppointmentView } from '../../../src-preload/contract'
import type { CacheSession } from './cache-session'
import { appointmentRowKey, type ReporterDatabase, type WorklistBatchRow, type WorklistRow } from './database'
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

/**
 * Replaces the whole snapshot in one transaction, so a crash leaves either the old or the new one.
 * Items are batched in the order given: pass them in the list's default order, so that a cold start
 * finds its first screen in the first batch (see FirstScreen).
 */
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
 * The first screen of a cold start, chosen from the clear index fields alone (no decryption): the
 * caller's order and filter over index rows, and how many rows a screen can show. Its batches are
 * opened and shown first (`onFirstScreen`); the rest is opened after. The caller decides the order
 * (db/ knows nothing of priorities), so this holds for whatever the default order is.
 */
export interface FirstScreen {
  readonly rows: number
  /** Must agree with the list's order on the fields it looks at; ties are resolved by including them. */
  compare(a: WorklistRow, b: WorklistRow): number
  include(row: WorklistRow): boolean
  /** The first screen's rows (any order), and how many cached rows are still being opened. */
  onFirstScreen(items: CachedWorklistItem[], remaining: number): void
  /**
   * Lets the page paint and handle input; awaited after the first screen and between the other
   * batches, whose parsing would otherwise hold the main thread until the last one is read.
   */
  yieldToPage(): Promise<void>
}

type OpenedBatch = ReadonlyMap<string, AppointmentView>

/** The snapshot's clear half: every index row and the keys of its sealed batches. */
export interface WorklistIndex {
  readonly rows: readonly WorklistRow[]
  readonly batchKeys: readonly number[]
}

/**
 * Reads the clear index rows and the batch keys, which need no cache key: a cold start begins this
 * read beside its first requests to main (the key among them) instead of after them. Nothing here is
 * PHI; rows sealed under another key simply fail to open later and are dropped.
 */
export async function readWorklistIndex(db: ReporterDatabase): Promise<WorklistIndex> {
  const [rows, batchKeys] = await db.transaction('r', db.worklist, db.worklistBatches, () =>
    Promise.all([db.worklist.toArray(), db.worklistBatches.toCollection().primaryKeys()]),
  )
  return { rows, batchKeys }
}

/**
 * Reads the snapshot back. A batch that cannot be opened (damaged, another key, another snapshot)
 * drops only its rows; they come back with the next refresh. With `firstScreen`, the batches holding
 * the first screen are opened and handed over before the others are even read from their seal.
 * `index` is a read already started with readWorklistIndex (a cold start's); without it, one is made.
 */
export async function loadWorklistSnapshot(
  session: CacheSession,
  firstScreen?: FirstScreen,
  index: Promise<WorklistIndex> = readWorklistIndex(session.db),
): Promise<CachedWorklistItem[]> {
  const { db } = session
  const { rows, batchKeys } = await index
  // Sealed batches are read from disk when opened: the first screen's alone before it shows. A batch
  // replaced in between (a newer snapshot) fails its key check and drops only its rows.
  const read = async (keys: readonly number[]) =>
    (await db.worklistBatches.bulkGet([...keys])).filter((b) => b !== undefined)
  const opening = new Map<number, Promise<OpenedBatch>>()
  const open = (batch: WorklistBatchRow) => {
    const known = opening.get(batch.key)
    if (known) return known
    const started = openBatch(session, batch)
    opening.set(batch.key, started)
    return started
  }
  const opened = new Map<number, OpenedBatch>()
  const openAll = async (keys: readonly number[]) => {
    const batches = await read(keys.filter((key) => !opened.has(key)))
    await Promise.all(batches.map(async (b) => opened.set(b.key, await open(b))))
  }

  const first = firstScreen ? firstScreenBatches(rows, firstScreen) : null
  // Worth it only when the first screen needs clearly fewer batches than the whole snapshot.
  if (firstScreen && first && first.size * 2 <= batchKeys.length) {
    await openAll([...first])
    const shown = rows.filter((row) => first.has(row.batch))
    firstScreen.onFirstScreen(itemsOf(shown, opened), rows.length - shown.length)
    for (const key of batchKeys.filter((k) => !first.has(k))) {
      await firstScreen.yieldToPage()
      await openAll([key])
    }
  }
  await openAll(batchKeys)
  return itemsOf(rows, opened)
}

/**
 * The batches that hold the first `rows` rows in the caller's order, plus every row tied with the
 * last of them (the sealed fields may order ties either way), so the first screen is exact.
 */
function firstScreenBatches(rows: readonly WorklistRow[], screen: FirstScreen): Set<number> {
  const listed = rows.filter((row) => screen.include(row)).sort((a, b) => screen.compare(a, b))
  const last = listed[Math.min(screen.rows, listed.length) - 1]
  const batches = new Set<number>()
  for (const [n, row] of listed.entries()) {
    if (n >= screen.rows && (!last || screen.compare(row, last) > 0)) break
    batches.add(row.batch)
  }
  return batches
}

async function openBatch(session: CacheSession, batch: WorklistBatchRow): Promise<OpenedBatch> {
  const aad = batchAad(batch.snapshotId, batch.key)
  const content = await openJson(session, 'worklistBatches', aad, batch.sealed, BatchSchema)
  const views = new Map<string, AppointmentView>()
  content?.keys.forEach((key, n) => {
    const view = content.views[n]
    if (view && appointmentRowKey(view.domain, view.appointmentId) === key) views.set(key, view)
  })
  return views
}

function itemsOf(rows: readonly WorklistRow[], opened: ReadonlyMap<number, OpenedBatch>) {
  return rows.flatMap((row): CachedWorklistItem[] => {
    const view = opened.get(row.batch)?.get(row.key)
    return view ? [{ view, pending: row.pending === 1, refreshId: row.refreshId }] : []
  })
}
